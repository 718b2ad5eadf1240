// Point-to-point messages. One thread posts every send and receive without blocking
// (MPI_Isend, MPI_Improbe + MPI_Imrecv) and polls them with MPI_Testsome, so any number of
// messages can be outstanding at once: a rank may post receives from all its neighbours and
// then its sends without deadlock, which a blocking call per thread could not promise.
//
// Receives are matched by probing, in call order per (communicator, source, tag): MPI delivers
// messages between two ranks with one tag in send order, and probing in call order keeps that
// order for our callers. Probing first also tells the length before any byte lands, so a
// receive of any length allocates exactly, a receive into a buffer of the wrong length is
// reported (naming both ranks) instead of truncated, and a receive that has not matched yet
// can be withdrawn cleanly when its deadline passes.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "call.h"

namespace syncopate {

class MessageCall : public Call {
 public:
  enum class Kind { kSend, kRecv };
  enum class State { kWaiting, kMatched, kCancelled };

  // `expectedBytes` < 0: a receive of any length, resolving to a new Uint8Array.
  MessageCall(Napi::Env env, Kind kind, double id, MPI_Comm comm, int self, int peer, int tag, void* data, long long expectedBytes);
  ~MessageCall() override;

  const Kind kind;
  const double id;
  const MPI_Comm comm;
  const int self;
  const int peer;
  const int tag;
  void* const data;
  const long long expectedBytes;

  // Engine thread state; `state` is guarded by `mutex` because Cancel reads it from JS.
  std::mutex mutex;
  State state = State::kWaiting;
  MPI_Request request = MPI_REQUEST_NULL;
  char* owned = nullptr;  // receive of any length, or the scratch for a wrong-length message
  int received = 0;

  void Fail(Failure failure) { failure_ = std::move(failure); }
  bool Failed() const { return failure_.has_value(); }

 protected:
  Napi::Value Result(Napi::Env env) override;
};

class ProgressEngine {
 public:
  static ProgressEngine* Start(Napi::Env env);
  // JS thread. Stops the thread and frees the engine when nothing is in flight; returns false
  // (changing nothing) otherwise.
  static bool Stop(ProgressEngine* engine);

  // JS thread.
  void Submit(Napi::Env env, MessageCall* call);
  // JS thread: withdraws a receive that no message has matched yet; its promise then rejects
  // with code CANCELLED. Returns false when the id is unknown or a message already matched it
  // (the receive then completes normally).
  bool Cancel(double id);
  int InFlight() const { return inFlight_; }

 private:
  explicit ProgressEngine(napi_env env) : env_(env) {}
  ~ProgressEngine() = default;
  void Loop();
  void Halt();
  void Finish(MessageCall* call);
  bool TryMatch(MessageCall* call);
  static void Teardown(ProgressEngine* engine);
  static void Complete(Napi::Env env, Napi::Function, ProgressEngine* engine, MessageCall* call);

  using Done = Napi::TypedThreadSafeFunction<ProgressEngine, MessageCall, &ProgressEngine::Complete>;

  napi_env env_;
  Done done_;
  Napi::Env::CleanupHook<void (*)(ProgressEngine*), ProgressEngine> cleanup_;
  int inFlight_ = 0;                                     // JS thread only
  std::unordered_map<double, MessageCall*> receives_;    // JS thread only

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<MessageCall*> incoming_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace syncopate
