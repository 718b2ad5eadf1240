// A native call in flight: made on the JS thread (where it pins the buffers it uses), run on an
// MPI thread (a communicator's lane, or the progress engine), then settled and destroyed back on
// the JS thread. Only the JS thread touches `deferred_` and `kept_`; only the MPI thread writes
// `failure_` and results before the hand-back, which the thread-safe function orders.
//
// The promise is made on first use: a small collective that finishes on the JS thread before
// its function returns (the `*Now` functions) needs none, nor any buffer kept.
#pragma once

#include <napi.h>

#include <optional>
#include <vector>

#include "failure.h"

namespace syncopate {

class Call {
 public:
  explicit Call(Napi::Env env) : env_(env) {}
  virtual ~Call() = default;
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  // JS thread: the call's promise, made on first use (before the call can be settled).
  Napi::Promise Promise() {
    if (!deferred_) deferred_.emplace(env_);
    return deferred_->Promise();
  }

  // Whether the call failed (read after it finished).
  bool Failed() const { return failure_.has_value(); }

  // Keeps a buffer alive (not garbage collected) until this call is destroyed.
  void Keep(Napi::Object buffer) { kept_.push_back(Napi::Persistent(buffer)); }

  // JS thread: resolves with Result() or rejects with the failure.
  void Settle(Napi::Env env) {
    Napi::HandleScope scope(env);
    Promise();
    if (failure_) {
      deferred_->Reject(ToJsError(env, *failure_).Value());
    } else {
      deferred_->Resolve(Result(env));
    }
  }

 protected:
  virtual Napi::Value Result(Napi::Env env) { return env.Undefined(); }
  std::optional<Failure> failure_;

 private:
  napi_env env_;
  std::optional<Napi::Promise::Deferred> deferred_;
  std::vector<Napi::ObjectReference> kept_;
};

}  // namespace syncopate
