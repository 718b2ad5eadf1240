// The addon's communicator and collective functions: each builds a call and hands it to the JS
// thread's fast path or to its communicator's lane.
#include <climits>
#include <string>
#include <utility>
#include <vector>

#include "collective-jobs.h"
#include "mpi-addon.h"
#include "ring-allreduce.h"

namespace syncopate {

// split(comm, color, key, check) -> Promise<handle | null>
Napi::Value MpiAddon::Split(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  int color = IntArg(info, 1, "color", 0, INT_MAX);
  int key = IntArg(info, 2, "key", INT_MIN, INT_MAX);
  auto* call = new SplitCall(env, color, key, info[3].ToBoolean(), [this](MPI_Comm created) { return Register(created); });
  return SubmitCollective(env, handle, call);
}

// commFree(comm) -> Promise<void>, queued after the communicator's other collectives.
Napi::Value MpiAddon::CommFree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  if (handle == 0) throw Napi::Error::New(env, "commFree: the world communicator is freed by finalize()");
  Napi::Value promise = SubmitCollective(env, handle, new FreeCall(env, comms_[handle].ring));
  Communicator& c = comms_[handle];
  c.freed = true;
  retired_.push_back(c.lane);
  c.lane = nullptr;
  return promise;
}

// allreduce(comm, buffer: Int32Array | Float32Array | Float64Array, op, check)
Napi::Value MpiAddon::Allreduce(const Napi::CallbackInfo& info) { return StartAllreduce(info, false); }

// allreduceNow(comm, buffer, op, check) -> undefined when it finished here, else a Promise
Napi::Value MpiAddon::AllreduceNow(const Napi::CallbackInfo& info) { return StartAllreduce(info, true); }

Napi::Value MpiAddon::StartAllreduce(const Napi::CallbackInfo& info, bool now) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  BufferView buffer = NumericArg(info, 1, "allreduce: buffer");
  ReduceOp op = ParseReduceOp(env, info[2]);
  auto* call = new AllreduceCall(env, buffer, op, info[3].ToBoolean(), static_cast<long long>(buffer.byteLength) <= SmallBytes());
  return SubmitChecked(env, handle, call, info[1].As<Napi::Object>(), now);
}

// broadcast(comm, buffer: ArrayBufferView, root, check)
Napi::Value MpiAddon::Broadcast(const Napi::CallbackInfo& info) { return StartBroadcast(info, false); }

// broadcastNow(comm, buffer, root, check) -> undefined when it finished here, else a Promise
Napi::Value MpiAddon::BroadcastNow(const Napi::CallbackInfo& info) { return StartBroadcast(info, true); }

Napi::Value MpiAddon::StartBroadcast(const Napi::CallbackInfo& info, bool now) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  BufferView buffer = BytesArg(info, 1, "broadcast: buffer");
  int root = IntArg(info, 2, "root", 0, comms_[handle].size - 1);
  auto* call = new BroadcastCall(env, buffer, root, info[3].ToBoolean(), static_cast<long long>(buffer.byteLength) <= SmallBytes());
  return SubmitChecked(env, handle, call, info[1].As<Napi::Object>(), now);
}

// allgather(comm, data: ArrayBufferView, check) -> Promise<Uint8Array[]>
Napi::Value MpiAddon::Allgather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  BufferView data = BytesArg(info, 1, "allgather: data");
  auto* call = new GatherBytesCall(env, data, -1, info[2].ToBoolean());
  call->Keep(info[1].As<Napi::Object>());
  return SubmitCollective(env, handle, call);
}

// gather(comm, data: ArrayBufferView, root, check) -> Promise<Uint8Array[] | undefined>
Napi::Value MpiAddon::Gather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  BufferView data = BytesArg(info, 1, "gather: data");
  int root = IntArg(info, 2, "root", 0, comms_[handle].size - 1);
  auto* call = new GatherBytesCall(env, data, root, info[3].ToBoolean());
  call->Keep(info[1].As<Napi::Object>());
  return SubmitCollective(env, handle, call);
}

// allgatherv(comm, send, recv, counts: number[], check): send and recv of one numeric type;
// send.length === counts[rank], recv.length === sum(counts).
Napi::Value MpiAddon::Allgatherv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  BufferView send = NumericArg(info, 1, "allgatherv: send");
  BufferView recv = NumericArg(info, 2, "allgatherv: recv");
  if (send.type != recv.type) throw Napi::TypeError::New(env, "allgatherv: send and recv must have the same element type");
  std::vector<int> counts = CountsArg(info, 3, "allgatherv", comms_[handle].size);
  long long total = 0;
  for (int c : counts) total += c;
  if (static_cast<long long>(send.length) != counts[comms_[handle].rank] || static_cast<long long>(recv.length) != total) {
    throw Napi::RangeError::New(env, "allgatherv: send must hold counts[rank] elements and recv their sum");
  }
  auto* call = new AllgathervCall(env, send, recv, std::move(counts), info[4].ToBoolean());
  call->Keep(info[1].As<Napi::Object>());
  call->Keep(info[2].As<Napi::Object>());
  return SubmitCollective(env, handle, call);
}

// reduceScatter(comm, buffer, counts, op, check): in place; block `rank` ends reduced.
Napi::Value MpiAddon::ReduceScatter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  BufferView buffer = NumericArg(info, 1, "reduceScatter: buffer");
  std::vector<int> counts = CountsArg(info, 2, "reduceScatter", comms_[handle].size);
  long long total = 0;
  for (int c : counts) total += c;
  if (total != static_cast<long long>(buffer.length)) {
    throw Napi::RangeError::New(env, "reduceScatter: counts must add up to buffer.length");
  }
  ReduceOp op = ParseReduceOp(env, info[3]);
  auto* call = new ReduceScatterCall(env, buffer, std::move(counts), op, info[4].ToBoolean());
  call->Keep(info[1].As<Napi::Object>());
  return SubmitCollective(env, handle, call);
}

// barrier(comm, check)
Napi::Value MpiAddon::Barrier(const Napi::CallbackInfo& info) { return StartBarrier(info, false); }

// barrierNow(comm, check) -> undefined when it finished here, else a Promise
Napi::Value MpiAddon::BarrierNow(const Napi::CallbackInfo& info) { return StartBarrier(info, true); }

Napi::Value MpiAddon::StartBarrier(const Napi::CallbackInfo& info, bool now) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  return SubmitChecked(env, handle, new BarrierCall(env, info[1].ToBoolean(), nonblockingBytes_ > 0), Napi::Object(), now);
}

// ringAllreduce(comm, buffer, op, segmentBytes, check): the ring on the lane, see RingAllreduceCall.
Napi::Value MpiAddon::RingAllreduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int handle = HandleArg(info, 0);
  BufferView buffer = NumericArg(info, 1, "ringAllreduce: buffer");
  ReduceOp op = ParseReduceOp(env, info[2]);
  int segmentBytes = IntArg(info, 3, "segmentBytes", 1, INT_MAX);
  auto* call = new RingAllreduceCall(env, buffer, op, segmentBytes, info[4].ToBoolean(), comms_[handle].ring);
  call->Keep(info[1].As<Napi::Object>());
  return SubmitCollective(env, handle, call);
}

Napi::Value MpiAddon::SubmitCollective(Napi::Env env, int handle, CollectiveCall* call) {
  Communicator& c = comms_[handle];
  if (c.lane == nullptr) c.lane = Lane::Start(env, c.comm, "syncopate-mpi-lane-" + std::to_string(handle), spinMicros_);
  Napi::Promise promise = call->Promise();
  c.lane->Submit(env, call);
  return promise;
}

// Small calls start on the JS thread and usually finish there; the rest go to the lane. Only a
// call that leaves the JS thread keeps `buffer` alive: until this function returns, the caller's
// argument does. `now`: a call that finished here without failing returns undefined instead of
// a settled Promise (the `*Now` functions).
Napi::Value MpiAddon::SubmitChecked(Napi::Env env, int handle, CheckedCall* call, Napi::Object buffer, bool now) {
  Communicator& c = comms_[handle];
  bool laneIdle = c.lane == nullptr || c.lane->InFlight() == 0;
  if (call->Nonblocking() && pollMicros_ > 0 && laneIdle && call->RunBriefly(c.comm, pollMicros_)) {
    if (now && !call->Failed()) {
      delete call;
      return env.Undefined();
    }
    Napi::Promise promise = call->Promise();
    call->Settle(env);
    delete call;
    return promise;
  }
  if (!buffer.IsEmpty()) call->Keep(buffer);
  return SubmitCollective(env, handle, call);
}

// Byte lengths at or below this use the non-blocking variants (-1 when they are off).
long long MpiAddon::SmallBytes() const { return nonblockingBytes_ > 0 ? nonblockingBytes_ : -1; }

}  // namespace syncopate
