#include "lane.h"

#include <chrono>

namespace syncopate {

namespace {

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

Lane* Lane::Start(Napi::Env env, MPI_Comm comm, const std::string& name, int spinMicros) {
  Lane* lane = new Lane(env, comm, spinMicros);
  lane->done_ = Done::New(env, name, 0, 1, lane);
  // An idle lane must not keep Node alive; Submit refs it while calls are in flight.
  lane->done_.Unref(env);
  // Registered after the thread-safe function, so it runs before that function's own cleanup.
  lane->cleanup_ = env.AddCleanupHook(&Lane::Teardown, lane);
  lane->thread_ = std::thread(&Lane::Loop, lane);
  return lane;
}

void Lane::Submit(Napi::Env env, CollectiveCall* call) {
  if (inFlight_++ == 0) done_.Ref(env);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(call);
    queued_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_one();
}

void Lane::Loop() {
  for (;;) {
    if (spinMicros_ > 0) {
      // Back-to-back collectives arrive a few microseconds apart; polling briefly avoids
      // paying a futex wake-up for each of them.
      auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(spinMicros_);
      while (queued_.load(std::memory_order_acquire) == 0 && std::chrono::steady_clock::now() < until) CpuRelax();
    }
    CollectiveCall* call = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (stopping_) break;
      call = queue_.front();
      queue_.pop_front();
      queued_.fetch_sub(1, std::memory_order_relaxed);
      running_.store(true, std::memory_order_release);
    }
    call->Run(comm_);
    running_.store(false, std::memory_order_release);
    // After teardown the thread-safe function is gone; the call is leaked with the process.
    if (abandoned_.load(std::memory_order_acquire)) return;
    done_.NonBlockingCall(call);
  }
  // The lane thread owns the thread-safe function; releasing it here guarantees that no
  // completion is posted after it is finalized.
  done_.Release();
}

void Lane::Complete(Napi::Env env, Napi::Function, Lane* lane, CollectiveCall* call) {
  if (env == nullptr) return;  // teardown: the promise can no longer settle
  call->Settle(env);
  delete call;
  if (--lane->inFlight_ == 0) lane->done_.Unref(env);
}

void Lane::Halt() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
}

bool Lane::Stop(Lane* lane) {
  if (lane->inFlight_ > 0) return false;
  lane->cleanup_.Remove(Napi::Env(lane->env_));
  lane->Halt();
  lane->thread_.join();
  delete lane;
  return true;
}

void Lane::Teardown(Lane* lane) {
  lane->Halt();
  // Read after Halt: the thread marks itself running under the same lock, so from here on it is
  // either inside a call or about to leave its loop.
  if (lane->running_.load(std::memory_order_acquire)) {
    // Stuck in MPI (a peer died or stopped): it may never return. Leave it, and the lane, behind.
    lane->abandoned_.store(true, std::memory_order_release);
    lane->thread_.detach();
    return;
  }
  lane->thread_.join();
  // Calls still queued never ran; they die with the environment.
}

}  // namespace syncopate
