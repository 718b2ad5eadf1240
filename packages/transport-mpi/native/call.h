// A native call in flight: made on the JS thread (where it pins the buffers it uses), run on an
// MPI thread (a communicator's lane, or the progress engine), then settled and destroyed back on
// the JS thread. Only the JS thread touches `deferred_` and `kept_`; only the MPI thread writes
// `failure_` and results before the hand-back, which the thread-safe function orders.
#pragma once

#include <napi.h>

#include <optional>
#include <vector>

#include "failure.h"

namespace syncopate {

class Call {
 public:
  explicit Call(Napi::Env env) : deferred_(Napi::Promise::Deferred::New(env)) {}
  virtual ~Call() = default;
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  Napi::Promise Promise() const { return deferred_.Promise(); }

  // Keeps a buffer alive (not garbage collected) until this call is destroyed.
  void Keep(Napi::Object buffer) { kept_.push_back(Napi::Persistent(buffer)); }

  // JS thread: resolves with Result() or rejects with the failure.
  void Settle(Napi::Env env) {
    Napi::HandleScope scope(env);
    if (failure_) {
      deferred_.Reject(ToJsError(env, *failure_).Value());
    } else {
      deferred_.Resolve(Result(env));
    }
  }

 protected:
  virtual Napi::Value Result(Napi::Env env) { return env.Undefined(); }
  std::optional<Failure> failure_;

 private:
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> kept_;
};

}  // namespace syncopate
