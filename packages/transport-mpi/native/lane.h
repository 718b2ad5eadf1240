// A lane runs the blocking collectives of one communicator on its own thread, in the order they
// were submitted, and hands each finished call back to the JS thread.
//
// Why a thread per communicator and not libuv's pool: a collective waits for the slowest rank,
// so it can hold a thread for as long as that rank computes. On the pool (4 threads shared with
// fs, dns and zlib) a few slow collectives would starve the rest of Node; on its own thread it
// starves nothing. Order: MPI matches collectives on a communicator by issue order, so two in
// flight at once (two pool threads) silently mix their data; one thread per communicator issues
// them strictly one after another. The TypeScript layer hands calls over in call order, up to
// `collectiveDepth` before the first settles, so queued calls run back to back here; a call
// handed over cannot be withdrawn before it starts.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "call.h"

namespace syncopate {

// A call a lane can run: a collective on the lane's communicator.
class CollectiveCall : public Call {
 public:
  using Call::Call;
  // Runs on the lane thread; records a failure instead of throwing.
  virtual void Run(MPI_Comm comm) = 0;
};

class Lane {
 public:
  // `spinMicros`: after finishing a call, how long the lane polls for the next one before it
  // sleeps on a condition variable (waking a sleeping thread costs several microseconds).
  static Lane* Start(Napi::Env env, MPI_Comm comm, const std::string& name, int spinMicros);

  // JS thread. Stops the thread and frees the lane when no call is in flight and returns true;
  // otherwise changes nothing and returns false.
  static bool Stop(Lane* lane);

  // JS thread: queue a call; its promise settles on the JS thread.
  void Submit(Napi::Env env, CollectiveCall* call);
  // JS thread: calls submitted and not yet settled.
  int InFlight() const { return inFlight_; }

 private:
  Lane(napi_env env, MPI_Comm comm, int spinMicros) : env_(env), comm_(comm), spinMicros_(spinMicros) {}
  ~Lane() = default;
  void Loop();
  void Halt();
  // Environment teardown (process exit): stop an idle thread; abandon one stuck inside MPI.
  static void Teardown(Lane* lane);
  static void Complete(Napi::Env env, Napi::Function, Lane* lane, CollectiveCall* call);

  using Done = Napi::TypedThreadSafeFunction<Lane, CollectiveCall, &Lane::Complete>;

  napi_env env_;
  MPI_Comm comm_;
  int spinMicros_;
  Done done_;
  Napi::Env::CleanupHook<void (*)(Lane*), Lane> cleanup_;
  int inFlight_ = 0;  // JS thread only

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<CollectiveCall*> queue_;
  bool stopping_ = false;
  std::atomic<bool> abandoned_{false};
  std::atomic<int> queued_{0};
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace syncopate
