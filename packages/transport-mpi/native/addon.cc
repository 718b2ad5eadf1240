// @syncopate/transport-mpi's native addon: Open MPI for Node.
//
// Threads: the JS thread only initialises, finalises, aborts and reads the clock and the
// communicator sizes, none of which waits for another rank. Everything that waits runs
// elsewhere and resolves a Promise: collectives on their communicator's lane (lane.h), messages
// on the progress engine (progress-engine.h). That needs MPI_THREAD_MULTIPLE, which init checks.
#include <mpi.h>
#include <napi.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "buffer-view.h"
#include "collective-jobs.h"
#include "lane.h"
#include "progress-engine.h"

namespace syncopate {

namespace {

// Bytes per rank exchanged at start-up: a pid and a NUL-terminated host name.
constexpr size_t kPeerRecord = sizeof(int) + MPI_MAX_PROCESSOR_NAME + 1;

// MPI is per process; only one Node environment (main thread or one worker) may own it.
std::atomic<bool> processOwnsMpi{false};

const char* ThreadLevelName(int level) {
  switch (level) {
    case MPI_THREAD_SINGLE: return "MPI_THREAD_SINGLE";
    case MPI_THREAD_FUNNELED: return "MPI_THREAD_FUNNELED";
    case MPI_THREAD_SERIALIZED: return "MPI_THREAD_SERIALIZED";
    case MPI_THREAD_MULTIPLE: return "MPI_THREAD_MULTIPLE";
  }
  return "an unknown thread level";
}

Napi::Error ErrorWithCode(Napi::Env env, const std::string& message, const char* code) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Value().Set("code", code);
  return error;
}

}  // namespace

class MpiAddon : public Napi::Addon<MpiAddon> {
 public:
  MpiAddon(Napi::Env env, Napi::Object exports) {
    DefineAddon(exports, {
        InstanceMethod("init", &MpiAddon::Initialize),
        InstanceMethod("finalize", &MpiAddon::Finalize),
        InstanceMethod("abort", &MpiAddon::Abort),
        InstanceMethod("wtime", &MpiAddon::Wtime),
        InstanceMethod("isInitialized", &MpiAddon::IsInitialized),
        InstanceMethod("isFinalized", &MpiAddon::IsFinalized),
        InstanceMethod("inFlight", &MpiAddon::InFlight),
        InstanceMethod("commRank", &MpiAddon::CommRank),
        InstanceMethod("commSize", &MpiAddon::CommSize),
        InstanceMethod("commFree", &MpiAddon::CommFree),
        InstanceMethod("split", &MpiAddon::Split),
        InstanceMethod("allreduce", &MpiAddon::Allreduce),
        InstanceMethod("broadcast", &MpiAddon::Broadcast),
        InstanceMethod("allgather", &MpiAddon::Allgather),
        InstanceMethod("allgatherv", &MpiAddon::Allgatherv),
        InstanceMethod("gather", &MpiAddon::Gather),
        InstanceMethod("reduceScatter", &MpiAddon::ReduceScatter),
        InstanceMethod("barrier", &MpiAddon::Barrier),
        InstanceMethod("send", &MpiAddon::Send),
        InstanceMethod("recv", &MpiAddon::Recv),
        InstanceMethod("cancel", &MpiAddon::Cancel),
    });
  }

 private:
  struct Communicator {
    MPI_Comm comm = MPI_COMM_NULL;
    int rank = 0;
    int size = 0;
    Lane* lane = nullptr;
    bool freed = false;
  };

  // ---- lifecycle -------------------------------------------------------------------------

  // init({ laneSpinMicros?, nonblockingBytes?, pollMicros? })
  //   -> { provided, threadMultiple, rank, size, world, library, processor, peers: [{ pid, host }] }
  // Allreduce and broadcast of at most `nonblockingBytes` (and barrier, unless it is 0) use MPI's
  // non-blocking variants, started on the JS thread and polled there for up to `pollMicros`
  // before the lane takes over; see CheckedCall. Every rank must pass the same values.
  Napi::Value Initialize(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (initialized_) throw ErrorWithCode(env, "MPI is already initialized by this addon", "STATE");
    int flag = 0;
    MPI_Finalized(&flag);
    if (flag) throw ErrorWithCode(env, "MPI was finalized in this process and cannot be initialized again", "STATE");
    MPI_Initialized(&flag);
    if (flag || processOwnsMpi.exchange(true)) {
      throw ErrorWithCode(env, "MPI is already initialized in this process (by another thread or library)", "STATE");
    }
    if (info.Length() > 0 && info[0].IsObject()) {
      Napi::Object options = info[0].As<Napi::Object>();
      spinMicros_ = IntOption(options, "laneSpinMicros", spinMicros_);
      nonblockingBytes_ = IntOption(options, "nonblockingBytes", nonblockingBytes_);
      pollMicros_ = IntOption(options, "pollMicros", pollMicros_);
    }
    int provided = 0;
    int rc = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided);
    if (rc != MPI_SUCCESS) {
      processOwnsMpi = false;
      throw ErrorWithCode(env, "MPI_Init_thread failed: " + MpiErrorText(rc), "MPI");
    }
    if (provided < MPI_THREAD_MULTIPLE) {
      MPI_Finalize();
      throw ErrorWithCode(env,
                          std::string("this MPI library provides only ") + ThreadLevelName(provided) +
                              "; the binding runs MPI calls on several threads and needs MPI_THREAD_MULTIPLE "
                              "(Debian's openmpi-bin has it; a self-built Open MPI needs --enable-mpi-thread-multiple)",
                          "MPI");
    }
    initialized_ = true;
    // Errors come back as return codes (and from there as typed JS errors), never as an abort.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm world = MPI_COMM_NULL;
    rc = MPI_Comm_dup(MPI_COMM_WORLD, &world);
    if (rc != MPI_SUCCESS) throw ErrorWithCode(env, "MPI_Comm_dup(MPI_COMM_WORLD) failed: " + MpiErrorText(rc), "MPI");
    int worldHandle = Register(world);
    engine_ = ProgressEngine::Start(env);

    char library[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(library, &length);
    std::string libraryText(library, static_cast<size_t>(length));
    while (!libraryText.empty() && (libraryText.back() == '\n' || libraryText.back() == '\0')) libraryText.pop_back();
    char processor[MPI_MAX_PROCESSOR_NAME];
    MPI_Get_processor_name(processor, &length);
    std::string host(processor, static_cast<size_t>(length));

    // Once, at start-up (every rank is inside init anyway): who runs where, so that a rank can
    // later tell whether a silent peer's process still exists.
    const int size = comms_[worldHandle].size;
    std::vector<char> mine(kPeerRecord, 0);
    int pid = static_cast<int>(getpid());
    std::memcpy(mine.data(), &pid, sizeof pid);
    std::memcpy(mine.data() + sizeof pid, host.data(), std::min(host.size(), kPeerRecord - sizeof pid - 1));
    std::vector<char> all(kPeerRecord * static_cast<size_t>(size), 0);
    rc = MPI_Allgather(mine.data(), kPeerRecord, MPI_BYTE, all.data(), kPeerRecord, MPI_BYTE, comms_[worldHandle].comm);
    if (rc != MPI_SUCCESS) throw ErrorWithCode(env, "exchanging process ids at start-up failed: " + MpiErrorText(rc), "MPI");
    Napi::Array peers = Napi::Array::New(env, size);
    for (int r = 0; r < size; ++r) {
      const char* record = all.data() + kPeerRecord * static_cast<size_t>(r);
      int peerPid = 0;
      std::memcpy(&peerPid, record, sizeof peerPid);
      Napi::Object peer = Napi::Object::New(env);
      peer.Set("pid", peerPid);
      peer.Set("host", std::string(record + sizeof peerPid));
      peers.Set(static_cast<uint32_t>(r), peer);
    }

    Napi::Object result = Napi::Object::New(env);
    result.Set("provided", provided);
    result.Set("threadMultiple", provided >= MPI_THREAD_MULTIPLE);
    result.Set("rank", comms_[worldHandle].rank);
    result.Set("size", comms_[worldHandle].size);
    result.Set("world", worldHandle);
    result.Set("library", libraryText);
    result.Set("processor", host);
    result.Set("peers", peers);
    return result;
  }

  // finalize() -> boolean (false when already finalized). Throws when calls are in flight.
  Napi::Value Finalize(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!initialized_ || finalized_) return Napi::Boolean::New(env, false);
    int busy = CountInFlight();
    if (busy > 0) {
      throw ErrorWithCode(env, "cannot finalize MPI: " + std::to_string(busy) + " call(s) still in flight", "BUSY");
    }
    for (Lane* lane : retired_) Lane::Stop(lane);
    retired_.clear();
    for (Communicator& c : comms_) {
      if (c.lane != nullptr) Lane::Stop(c.lane);
      c.lane = nullptr;
      if (!c.freed) MPI_Comm_free(&c.comm);
      c.freed = true;
    }
    ProgressEngine::Stop(engine_);
    engine_ = nullptr;
    finalized_ = true;
    int rc = MPI_Finalize();
    if (rc != MPI_SUCCESS) throw ErrorWithCode(env, "MPI_Finalize failed: " + MpiErrorText(rc), "MPI");
    return Napi::Boolean::New(env, true);
  }

  // abort(errorCode): ends every process of the job. Callers print why first.
  Napi::Value Abort(const Napi::CallbackInfo& info) {
    int code = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 1;
    if (!initialized_ || finalized_) throw ErrorWithCode(info.Env(), "abort: MPI is not running", "STATE");
    MPI_Abort(MPI_COMM_WORLD, code);
    return info.Env().Undefined();
  }

  Napi::Value Wtime(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), MPI_Wtime()); }

  Napi::Value IsInitialized(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), initialized_); }
  Napi::Value IsFinalized(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), finalized_); }
  Napi::Value InFlight(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), CountInFlight()); }

  // ---- communicators ---------------------------------------------------------------------

  Napi::Value CommRank(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), CommArg(info, 0).rank); }
  Napi::Value CommSize(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), CommArg(info, 0).size); }

  // split(comm, color, key, check) -> Promise<handle | null>
  Napi::Value Split(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int handle = HandleArg(info, 0);
    int color = IntArg(info, 1, "color", 0, INT_MAX);
    int key = IntArg(info, 2, "key", INT_MIN, INT_MAX);
    auto* call = new SplitCall(env, color, key, info[3].ToBoolean(), [this](MPI_Comm created) { return Register(created); });
    return SubmitCollective(env, handle, call);
  }

  // commFree(comm) -> Promise<void>, queued after the communicator's other collectives.
  Napi::Value CommFree(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int handle = HandleArg(info, 0);
    if (handle == 0) throw Napi::Error::New(env, "commFree: the world communicator is freed by finalize()");
    Napi::Value promise = SubmitCollective(env, handle, new FreeCall(env));
    Communicator& c = comms_[handle];
    c.freed = true;
    retired_.push_back(c.lane);
    c.lane = nullptr;
    return promise;
  }

  // ---- collectives -----------------------------------------------------------------------

  // allreduce(comm, buffer: Int32Array | Float32Array | Float64Array, op, check)
  Napi::Value Allreduce(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int handle = HandleArg(info, 0);
    BufferView buffer = NumericArg(info, 1, "allreduce: buffer");
    ReduceOp op = ParseReduceOp(env, info[2]);
    auto* call = new AllreduceCall(env, buffer, op, info[3].ToBoolean(), static_cast<long long>(buffer.byteLength) <= SmallBytes());
    call->Keep(info[1].As<Napi::Object>());
    return SubmitChecked(env, handle, call);
  }

  // broadcast(comm, buffer: ArrayBufferView, root, check)
  Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int handle = HandleArg(info, 0);
    BufferView buffer = BytesArg(info, 1, "broadcast: buffer");
    int root = IntArg(info, 2, "root", 0, comms_[handle].size - 1);
    auto* call = new BroadcastCall(env, buffer, root, info[3].ToBoolean(), static_cast<long long>(buffer.byteLength) <= SmallBytes());
    call->Keep(info[1].As<Napi::Object>());
    return SubmitChecked(env, handle, call);
  }

  // allgather(comm, data: ArrayBufferView, check) -> Promise<Uint8Array[]>
  Napi::Value Allgather(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int handle = HandleArg(info, 0);
    BufferView data = BytesArg(info, 1, "allgather: data");
    auto* call = new GatherBytesCall(env, data, -1, info[2].ToBoolean());
    call->Keep(info[1].As<Napi::Object>());
    return SubmitCollective(env, handle, call);
  }

  // gather(comm, data: ArrayBufferView, root, check) -> Promise<Uint8Array[] | undefined>
  Napi::Value Gather(const Napi::CallbackInfo& info) {
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
  Napi::Value Allgatherv(const Napi::CallbackInfo& info) {
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
  Napi::Value ReduceScatter(const Napi::CallbackInfo& info) {
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
  Napi::Value Barrier(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int handle = HandleArg(info, 0);
    return SubmitChecked(env, handle, new BarrierCall(env, info[1].ToBoolean(), nonblockingBytes_ > 0));
  }

  // ---- messages --------------------------------------------------------------------------

  // send(comm, dest, tag, data, id) -> Promise<void>
  Napi::Value Send(const Napi::CallbackInfo& info) {
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
    engine_->Submit(env, call);
    return call->Promise();
  }

  // recv(comm, source, tag, into: ArrayBufferView | null, id) -> Promise<Uint8Array | undefined>
  Napi::Value Recv(const Napi::CallbackInfo& info) {
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
    engine_->Submit(env, call);
    return call->Promise();
  }

  // cancel(id) -> boolean: see ProgressEngine::Cancel.
  Napi::Value Cancel(const Napi::CallbackInfo& info) {
    RequireRunning(info.Env());
    return Napi::Boolean::New(info.Env(), engine_->Cancel(info[0].As<Napi::Number>().DoubleValue()));
  }

  // ---- helpers ---------------------------------------------------------------------------

  int Register(MPI_Comm comm) {
    Communicator c;
    c.comm = comm;
    MPI_Comm_rank(comm, &c.rank);
    MPI_Comm_size(comm, &c.size);
    comms_.push_back(c);
    return static_cast<int>(comms_.size() - 1);
  }

  Napi::Value SubmitCollective(Napi::Env env, int handle, CollectiveCall* call) {
    Communicator& c = comms_[handle];
    if (c.lane == nullptr) c.lane = Lane::Start(env, c.comm, "syncopate-mpi-lane-" + std::to_string(handle), spinMicros_);
    c.lane->Submit(env, call);
    return call->Promise();
  }

  // Small calls start on the JS thread and usually finish there; the rest go to the lane.
  Napi::Value SubmitChecked(Napi::Env env, int handle, CheckedCall* call) {
    Communicator& c = comms_[handle];
    bool laneIdle = c.lane == nullptr || c.lane->InFlight() == 0;
    if (call->Nonblocking() && pollMicros_ > 0 && laneIdle && call->RunBriefly(c.comm, pollMicros_)) {
      Napi::Promise promise = call->Promise();
      call->Settle(env);
      delete call;
      return promise;
    }
    return SubmitCollective(env, handle, call);
  }

  // Byte lengths at or below this use the non-blocking variants (-1 when they are off).
  long long SmallBytes() const { return nonblockingBytes_ > 0 ? nonblockingBytes_ : -1; }

  static int IntOption(Napi::Object options, const char* name, int fallback) {
    Napi::Value value = options.Get(name);
    return value.IsNumber() ? value.As<Napi::Number>().Int32Value() : fallback;
  }

  int CountInFlight() const {
    int total = engine_ != nullptr ? engine_->InFlight() : 0;
    for (const Communicator& c : comms_) total += c.lane != nullptr ? c.lane->InFlight() : 0;
    for (const Lane* lane : retired_) total += lane->InFlight();
    return total;
  }

  void RequireRunning(Napi::Env env) const {
    if (!initialized_) throw ErrorWithCode(env, "MPI is not initialized: call init() first", "STATE");
    if (finalized_) throw ErrorWithCode(env, "MPI was finalized", "STATE");
  }

  int TagUpperBound() const {
    int* value = nullptr;
    int flag = 0;
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &value, &flag);
    return flag && value != nullptr ? *value : 32767;
  }

  int HandleArg(const Napi::CallbackInfo& info, size_t index) {
    Napi::Env env = info.Env();
    RequireRunning(env);
    if (!info[index].IsNumber()) throw Napi::TypeError::New(env, "comm must be a communicator handle");
    int handle = info[index].As<Napi::Number>().Int32Value();
    if (handle < 0 || handle >= static_cast<int>(comms_.size())) throw Napi::RangeError::New(env, "unknown communicator handle");
    if (comms_[handle].freed) throw ErrorWithCode(env, "communicator " + std::to_string(handle) + " was freed", "STATE");
    return handle;
  }

  const Communicator& CommArg(const Napi::CallbackInfo& info, size_t index) { return comms_[HandleArg(info, index)]; }

  static int IntArg(const Napi::CallbackInfo& info, size_t index, const char* name, int min, int max) {
    Napi::Env env = info.Env();
    double value = info[index].IsNumber() ? info[index].As<Napi::Number>().DoubleValue() : -0.5;
    if (!info[index].IsNumber() || value != static_cast<double>(static_cast<long long>(value)) || value < min || value > max) {
      throw Napi::RangeError::New(env, std::string(name) + " must be an integer in [" + std::to_string(min) + ", " +
                                           std::to_string(max) + "]");
    }
    return static_cast<int>(value);
  }

  static BufferView BytesArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
    BufferView view = ViewOf(info.Env(), info[index], what);
    if (view.byteLength > static_cast<size_t>(INT_MAX)) {
      throw Napi::RangeError::New(info.Env(), std::string(what) + " is larger than one MPI call can move (2^31 - 1 bytes)");
    }
    return view;
  }

  static BufferView NumericArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
    BufferView view = BytesArg(info, index, what);
    if (view.type == ElementType::kBytes) {
      throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an Int32Array, Float32Array or Float64Array");
    }
    return view;
  }

  static std::vector<int> CountsArg(const Napi::CallbackInfo& info, size_t index, const char* what, int size) {
    Napi::Env env = info.Env();
    if (!info[index].IsArray() || info[index].As<Napi::Array>().Length() != static_cast<uint32_t>(size)) {
      throw Napi::TypeError::New(env, std::string(what) + ": counts must be an array with one entry per rank");
    }
    Napi::Array array = info[index].As<Napi::Array>();
    std::vector<int> counts(size);
    for (int r = 0; r < size; ++r) {
      Napi::Value v = array.Get(static_cast<uint32_t>(r));
      double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
      if (d < 0 || d > INT_MAX || d != static_cast<double>(static_cast<long long>(d))) {
        throw Napi::RangeError::New(env, std::string(what) + ": counts must be non-negative integers");
      }
      counts[r] = static_cast<int>(d);
    }
    return counts;
  }

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

using syncopate::MpiAddon;
NODE_API_ADDON(MpiAddon)
