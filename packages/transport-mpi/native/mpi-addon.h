// The addon object: one per Node environment, holding MPI's communicators, their lanes and the
// progress engine. Its methods are the functions the JS side calls (see src/binding.ts).
//
// Threads: the JS thread only initialises, finalises, aborts and reads the clock and the
// communicator sizes, none of which waits for another rank. Everything that waits runs
// elsewhere and resolves a Promise: collectives on their communicator's lane (lane.h), messages
// on the progress engine (progress-engine.h), small collectives briefly on the JS thread with
// non-blocking MPI (checked-call.h). That needs MPI_THREAD_MULTIPLE, which init checks.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "buffer-view.h"
#include "checked-call.h"
#include "lane.h"
#include "progress-engine.h"
#include "ring-allreduce.h"

namespace syncopate {

// A JS Error with a string `code` property (STATE, MPI, BUSY).
Napi::Error ErrorWithCode(Napi::Env env, const std::string& message, const char* code);

class MpiAddon : public Napi::Addon<MpiAddon> {
 public:
  MpiAddon(Napi::Env env, Napi::Object exports);

 private:
  struct Communicator {
    MPI_Comm comm = MPI_COMM_NULL;
    int rank = 0;
    int size = 0;
    Lane* lane = nullptr;
    bool freed = false;
    // The ring allreduce's private duplicate and scratch, made by its first call (on the lane).
    std::shared_ptr<RingState> ring = std::make_shared<RingState>();
  };

  // ---- lifecycle (addon.cc) ---------------------------------------------------------

  // init({ laneSpinMicros?, nonblockingBytes?, pollMicros? })
  //   -> { provided, threadMultiple, rank, size, world, library, processor, peers: [{ pid, host }] }
  // Allreduce and broadcast of at most `nonblockingBytes` (and barrier, unless it is 0) use MPI's
  // non-blocking variants, started on the JS thread and polled there for up to `pollMicros`
  // before the lane takes over; see CheckedCall. Every rank must pass the same values.
  Napi::Value Initialize(const Napi::CallbackInfo& info);
  // finalize() -> boolean (false when already finalized). Throws when calls are in flight.
  Napi::Value Finalize(const Napi::CallbackInfo& info);
  // abort(errorCode): ends every process of the job. Callers print why first.
  Napi::Value Abort(const Napi::CallbackInfo& info);
  Napi::Value Wtime(const Napi::CallbackInfo& info);
  Napi::Value IsInitialized(const Napi::CallbackInfo& info);
  Napi::Value IsFinalized(const Napi::CallbackInfo& info);
  Napi::Value InFlight(const Napi::CallbackInfo& info);
  Napi::Value CommRank(const Napi::CallbackInfo& info);
  Napi::Value CommSize(const Napi::CallbackInfo& info);

  // ---- communicators and collectives (addon-collectives.cc) ---------------------------

  // split(comm, color, key, check) -> Promise<handle | null>
  Napi::Value Split(const Napi::CallbackInfo& info);
  // commFree(comm) -> Promise<void>, queued after the communicator's other collectives.
  Napi::Value CommFree(const Napi::CallbackInfo& info);
  // allreduce(comm, buffer: Int32Array | Float32Array | Float64Array, op, check)
  Napi::Value Allreduce(const Napi::CallbackInfo& info);
  // allreduceNow(comm, buffer, op, check) -> undefined | Promise<void>: like allreduce, but a
  // call that finished on the JS thread's fast path returns undefined (no Promise is made).
  Napi::Value AllreduceNow(const Napi::CallbackInfo& info);
  Napi::Value StartAllreduce(const Napi::CallbackInfo& info, bool now);
  // broadcast(comm, buffer: ArrayBufferView, root, check); broadcastNow: see AllreduceNow.
  Napi::Value Broadcast(const Napi::CallbackInfo& info);
  Napi::Value BroadcastNow(const Napi::CallbackInfo& info);
  Napi::Value StartBroadcast(const Napi::CallbackInfo& info, bool now);
  // allgather(comm, data: ArrayBufferView, check) -> Promise<Uint8Array[]>
  Napi::Value Allgather(const Napi::CallbackInfo& info);
  // gather(comm, data: ArrayBufferView, root, check) -> Promise<Uint8Array[] | undefined>
  Napi::Value Gather(const Napi::CallbackInfo& info);
  // allgatherv(comm, send, recv, counts: number[], check): send and recv of one numeric type;
  // send.length === counts[rank], recv.length === sum(counts).
  Napi::Value Allgatherv(const Napi::CallbackInfo& info);
  // reduceScatter(comm, buffer, counts, op, check): in place; block `rank` ends reduced.
  Napi::Value ReduceScatter(const Napi::CallbackInfo& info);
  // barrier(comm, check); barrierNow: see AllreduceNow.
  Napi::Value Barrier(const Napi::CallbackInfo& info);
  Napi::Value BarrierNow(const Napi::CallbackInfo& info);
  Napi::Value StartBarrier(const Napi::CallbackInfo& info, bool now);
  // ringAllreduce(comm, buffer: Int32Array | Float32Array | Float64Array, op, segmentBytes, check)
  Napi::Value RingAllreduce(const Napi::CallbackInfo& info);
  Napi::Value SubmitCollective(Napi::Env env, int handle, CollectiveCall* call);
  // Small calls start on the JS thread and usually finish there; the rest go to the lane.
  // `buffer` (may be empty) is kept alive while the call runs elsewhere; `now`: see AllreduceNow.
  Napi::Value SubmitChecked(Napi::Env env, int handle, CheckedCall* call, Napi::Object buffer, bool now);
  // Byte lengths at or below this use the non-blocking variants (-1 when they are off).
  long long SmallBytes() const;

  // ---- messages (addon-messages.cc) --------------------------------------------------

  // send(comm, dest, tag, data, id) -> Promise<void>
  Napi::Value Send(const Napi::CallbackInfo& info);
  // recv(comm, source, tag, into: ArrayBufferView | null, id) -> Promise<Uint8Array | undefined>
  Napi::Value Recv(const Napi::CallbackInfo& info);
  // cancel(id) -> boolean: see ProgressEngine::Cancel.
  Napi::Value Cancel(const Napi::CallbackInfo& info);

  // ---- bookkeeping and argument checks (addon-arguments.cc) ---------------------------

  int Register(MPI_Comm comm);
  static int IntOption(Napi::Object options, const char* name, int fallback);
  int CountInFlight() const;
  void RequireRunning(Napi::Env env) const;
  int TagUpperBound() const;
  int HandleArg(const Napi::CallbackInfo& info, size_t index);
  const Communicator& CommArg(const Napi::CallbackInfo& info, size_t index);
  static int IntArg(const Napi::CallbackInfo& info, size_t index, const char* name, int min, int max);
  static BufferView BytesArg(const Napi::CallbackInfo& info, size_t index, const char* what);
  static BufferView NumericArg(const Napi::CallbackInfo& info, size_t index, const char* what);
  static std::vector<int> CountsArg(const Napi::CallbackInfo& info, size_t index, const char* what, int size);

  bool initialized_ = false;
  bool finalized_ = false;
  int spinMicros_ = 0;
  int nonblockingBytes_ = 65536;
  int pollMicros_ = 250;
  std::vector<Communicator> comms_;
  std::vector<Lane*> retired_;
  ProgressEngine* engine_ = nullptr;
};

}  // namespace syncopate
