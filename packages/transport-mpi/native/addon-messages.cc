// The addon's message functions: each builds a call for the progress engine.
#include "mpi-addon.h"

namespace syncopate {

// send(comm, dest, tag, data, id) -> Promise<void>
Napi::Value MpiAddon::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  const Communicator& c = comms_[handle];
  int dest = IntArg(info, 1, "dest", 0, c.size - 1);
  int tag = IntArg(info, 2, "tag", 0, TagUpperBound());
  BufferView data = BytesArg(info, 3, "send: data");
  double id = info[4].As<Napi::Number>().DoubleValue();
  auto* call = new MessageCall(env, MessageCall::Kind::kSend, id, c.comm, c.rank, dest, tag, data.data,
                               static_cast<long long>(data.byteLength));
  call->Keep(info[3].As<Napi::Object>());
  Napi::Promise promise = call->Promise();
  engine_->Submit(env, call);
  return promise;
}

// recv(comm, source, tag, into: ArrayBufferView | null, id) -> Promise<Uint8Array | undefined>
Napi::Value MpiAddon::Recv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  const Communicator& c = comms_[handle];
  int source = IntArg(info, 1, "source", 0, c.size - 1);
  int tag = IntArg(info, 2, "tag", 0, TagUpperBound());
  bool any = info[3].IsNull() || info[3].IsUndefined();
  BufferView into = any ? BufferView{} : BytesArg(info, 3, "recv: into");
  double id = info[4].As<Napi::Number>().DoubleValue();
  auto* call = new MessageCall(env, MessageCall::Kind::kRecv, id, c.comm, c.rank, source, tag, into.data,
                               any ? -1 : static_cast<long long>(into.byteLength));
  if (!any) call->Keep(info[3].As<Napi::Object>());
  Napi::Promise promise = call->Promise();
  engine_->Submit(env, call);
  return promise;
}

// cancel(id) -> boolean: see ProgressEngine::Cancel.
Napi::Value MpiAddon::Cancel(const Napi::CallbackInfo& info) {
  RequireRunning(info.Env());
  return Napi::Boolean::New(info.Env(), engine_->Cancel(info[0].As<Napi::Number>().DoubleValue()));
}

}  // namespace syncopate
