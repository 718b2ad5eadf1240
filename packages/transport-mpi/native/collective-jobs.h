// The collectives. Each checks, when asked, that every rank called the same collective with the
// same element type, operation and length before it moves any data; see SignatureCheck.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <functional>
#include <string>
#include <vector>

#include "buffer-view.h"
#include "lane.h"

namespace syncopate {

enum class CollectiveKind { kAllreduce = 1, kBroadcast, kAllgather, kAllgatherv, kGather, kReduceScatter, kBarrier, kSplit };
enum class ReduceOp { kSum = 0, kMax = 1, kMin = 2 };

// What one rank passed to one collective. Ranks must agree on all of it (`count` only where
// the collective needs equal lengths).
struct Signature {
  CollectiveKind kind;
  ElementType type = ElementType::kBytes;
  int op = 0;
  long long count = 0;
  int aux = 0;  // the root, or a hash of the per-rank counts
};

// The signature check. Ranks compare what they passed with one MPI_Iallreduce (MAX) of six
// ints, {count, -count, code, -code, aux, -aux}: max(x) == -max(-x) only when every rank
// passed the same x. Only when they differ does a second step, an MPI_Iallgather of three ints
// per rank, find out who passed what, so that every rank fails with the same message:
// LENGTH_MISMATCH (lengths by rank) when only the lengths differ, SIGNATURE (one description
// per rank) otherwise. The check is always non-blocking, on every path, because MPI never
// matches a blocking collective with a non-blocking one: ranks must agree on the variant before
// they know whether they agree on anything else.
class SignatureCheck {
 public:
  SignatureCheck(const std::string& operation, const Signature& mine);
  // Starts the first step; false (with `failure`) when MPI refuses.
  bool Start(MPI_Comm comm, MPI_Request* request, Failure* failure);
  // After the first step completed: true when all agree; otherwise starts the second step.
  bool Agreed(MPI_Comm comm, MPI_Request* request, Failure* failure);
  // After the second step completed: fills `failure`.
  void Explain(Failure* failure) const;

 private:
  std::string operation_;
  int mine_[3];
  int bounds_[6];
  int size_ = 0;
  std::vector<int> all_;
};

// A collective in steps: the signature check (when asked for), then the data movement.
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

// In-place element-wise reduction over all ranks.
class AllreduceCall : public CheckedCall {
 public:
  AllreduceCall(Napi::Env env, BufferView buffer, ReduceOp op, bool check, bool nonblocking);

 protected:
  bool Move(MPI_Comm comm) override;
  int StartMove(MPI_Comm comm, MPI_Request* request) override;

 private:
  BufferView buffer_;
};

// In place: every rank's buffer becomes root's.
class BroadcastCall : public CheckedCall {
 public:
  BroadcastCall(Napi::Env env, BufferView buffer, int root, bool check, bool nonblocking);

 protected:
  bool Move(MPI_Comm comm) override;
  int StartMove(MPI_Comm comm, MPI_Request* request) override;

 private:
  BufferView buffer_;
  int root_;
};

// Bytes of any length from every rank; resolves to one Uint8Array per rank (all views of one
// ArrayBuffer). `root` >= 0 makes it a gather: only root receives, others resolve to undefined.
class GatherBytesCall : public CheckedCall {
 public:
  GatherBytesCall(Napi::Env env, BufferView data, int root, bool check);
  ~GatherBytesCall() override;

 protected:
  bool Move(MPI_Comm comm) override;
  Napi::Value Result(Napi::Env env) override;

 private:
  BufferView data_;
  int root_;
  bool receives_ = true;
  std::vector<int> counts_;
  std::vector<int> displacements_;
  char* gathered_ = nullptr;
  size_t total_ = 0;
};

// Typed elements, `counts[r]` from rank r, into `recv` at consecutive offsets.
class AllgathervCall : public CheckedCall {
 public:
  AllgathervCall(Napi::Env env, BufferView send, BufferView recv, std::vector<int> counts, bool check);

 protected:
  bool Move(MPI_Comm comm) override;

 private:
  BufferView send_;
  BufferView recv_;
  std::vector<int> counts_;
};

// In-place reduce-scatter: block r (counts[r] elements) ends up reduced at its own offset.
class ReduceScatterCall : public CheckedCall {
 public:
  ReduceScatterCall(Napi::Env env, BufferView buffer, std::vector<int> counts, ReduceOp op, bool check);

 protected:
  bool Move(MPI_Comm comm) override;

 private:
  BufferView buffer_;
  std::vector<int> counts_;
};

class BarrierCall : public CheckedCall {
 public:
  BarrierCall(Napi::Env env, bool check, bool nonblocking);

 protected:
  bool Move(MPI_Comm comm) override;
  int StartMove(MPI_Comm comm, MPI_Request* request) override;
};

// MPI_Comm_split; `adopt` (JS thread) turns the new communicator into a handle.
class SplitCall : public CheckedCall {
 public:
  SplitCall(Napi::Env env, int color, int key, bool check, std::function<int(MPI_Comm)> adopt);

 protected:
  bool Move(MPI_Comm comm) override;
  Napi::Value Result(Napi::Env env) override;

 private:
  int color_;
  int key_;
  MPI_Comm created_ = MPI_COMM_NULL;
  std::function<int(MPI_Comm)> adopt_;
};

// MPI_Comm_free, queued behind the communicator's other collectives.
class FreeCall : public CollectiveCall {
 public:
  explicit FreeCall(Napi::Env env) : CollectiveCall(env) {}
  void Run(MPI_Comm comm) override;
};

// "sum" | "max" | "min"; throws a TypeError otherwise.
ReduceOp ParseReduceOp(Napi::Env env, Napi::Value value);

}  // namespace syncopate
