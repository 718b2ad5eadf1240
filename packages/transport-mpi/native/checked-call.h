// A collective in steps — the signature check, then the data movement — so that a small one can
// start, and usually finish, on the JS thread without blocking it.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <string>

#include "lane.h"
#include "signature-check.h"

namespace syncopate {

// A collective in steps: the signature check (when asked for), then the data movement. A
// checked allreduce of at most kFoldBytes, and a checked barrier, end with the check.
//
// Small calls (see `nonblocking`) use MPI's non-blocking variant for the data too, so the JS
// thread can start them and poll them for a few microseconds (RunBriefly): most finish there,
// which saves the two thread hand-offs (~15 us together) that dominate a small allreduce.
// Whatever is left continues on the lane (Run), which blocks in MPI_Wait. Larger calls go to
// the lane directly and use the blocking variant, which Open MPI tunes better for bandwidth.
// The variant depends on the byte length only, so all ranks that passed the check pick the same.
class CheckedCall : public CollectiveCall {
 public:
  CheckedCall(Napi::Env env, std::string operation, Signature signature, bool check, bool nonblocking)
      : CollectiveCall(env), operation_(std::move(operation)), signature_(signature), check_(operation_, signature_), checks_(check),
        nonblocking_(nonblocking) {}
  // Lane thread: finishes the call, blocking.
  void Run(MPI_Comm comm) final;
  // JS thread: starts the call and polls it for up to `micros`; true when it has finished.
  // Only for calls made with `nonblocking`.
  bool RunBriefly(MPI_Comm comm, int micros);
  bool Nonblocking() const { return nonblocking_; }

 protected:
  // Blocking data movement; returns false after setting failure_.
  virtual bool Move(MPI_Comm comm) = 0;
  // Non-blocking data movement, for calls made with `nonblocking`.
  virtual int StartMove(MPI_Comm comm, MPI_Request* request) { return MPI_ERR_INTERN; }
  // Lets the signature check carry this call's data, so that it needs no second step when it
  // fits (an allreduce of at most kFoldBytes); see SignatureCheck.
  void Carry(const BufferView& data) {
    if (checks_) check_.Carry(data);
  }
  // Records a failed MPI call; returns false so Move can `return Fail(...)`.
  bool Fail(const char* call, int code);
  const std::string operation_;
  const Signature signature_;

 private:
  enum class Step { kStart, kChecking, kExplaining, kMoving, kDone };
  // Advances as far as possible; `wait` blocks in MPI_Wait, otherwise MPI_Test. True when done.
  bool Advance(MPI_Comm comm, bool wait);
  // Starts the data movement; true when that already finished the call.
  bool StartMoving(MPI_Comm comm);
  SignatureCheck check_;
  const bool checks_;
  const bool nonblocking_;
  Step step_ = Step::kStart;
  MPI_Request request_ = MPI_REQUEST_NULL;
};

}  // namespace syncopate
