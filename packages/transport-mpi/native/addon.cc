// @syncopate/transport-mpi's native addon: Open MPI for Node. This file: the module, the
// function table and the life cycle (init, finalize, abort, clock). See mpi-addon.h.
#include <mpi.h>
#include <napi.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "mpi-addon.h"

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

}  // namespace

Napi::Error ErrorWithCode(Napi::Env env, const std::string& message, const char* code) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Value().Set("code", code);
  return error;
}

MpiAddon::MpiAddon(Napi::Env env, Napi::Object exports) {
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
      InstanceMethod("allreduceNow", &MpiAddon::AllreduceNow),
      InstanceMethod("broadcast", &MpiAddon::Broadcast),
      InstanceMethod("broadcastNow", &MpiAddon::BroadcastNow),
      InstanceMethod("allgather", &MpiAddon::Allgather),
      InstanceMethod("allgatherv", &MpiAddon::Allgatherv),
      InstanceMethod("gather", &MpiAddon::Gather),
      InstanceMethod("reduceScatter", &MpiAddon::ReduceScatter),
      InstanceMethod("barrier", &MpiAddon::Barrier),
      InstanceMethod("barrierNow", &MpiAddon::BarrierNow),
      InstanceMethod("ringAllreduce", &MpiAddon::RingAllreduce),
      InstanceMethod("send", &MpiAddon::Send),
      InstanceMethod("recv", &MpiAddon::Recv),
      InstanceMethod("cancel", &MpiAddon::Cancel),
  });
}

// init({ laneSpinMicros?, nonblockingBytes?, pollMicros? })
//   -> { provided, threadMultiple, rank, size, world, library, processor, peers: [{ pid, host }] }
// Allreduce and broadcast of at most `nonblockingBytes` (and barrier, unless it is 0) use MPI's
// non-blocking variants, started on the JS thread and polled there for up to `pollMicros`
// before the lane takes over; see CheckedCall. Every rank must pass the same values.
Napi::Value MpiAddon::Initialize(const Napi::CallbackInfo& info) {
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
  if (!SignatureCheck::Setup()) throw ErrorWithCode(env, "creating the signature check's MPI datatype and op failed", "MPI");
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
Napi::Value MpiAddon::Finalize(const Napi::CallbackInfo& info) {
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
    if (!c.freed && c.ring->comm != MPI_COMM_NULL) MPI_Comm_free(&c.ring->comm);
    c.freed = true;
  }
  ProgressEngine::Stop(engine_);
  engine_ = nullptr;
  SignatureCheck::Teardown();
  finalized_ = true;
  int rc = MPI_Finalize();
  if (rc != MPI_SUCCESS) throw ErrorWithCode(env, "MPI_Finalize failed: " + MpiErrorText(rc), "MPI");
  return Napi::Boolean::New(env, true);
}

// abort(errorCode): ends every process of the job. Callers print why first.
Napi::Value MpiAddon::Abort(const Napi::CallbackInfo& info) {
  int code = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 1;
  if (!initialized_ || finalized_) throw ErrorWithCode(info.Env(), "abort: MPI is not running", "STATE");
  MPI_Abort(MPI_COMM_WORLD, code);
  return info.Env().Undefined();
}

Napi::Value MpiAddon::Wtime(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), MPI_Wtime()); }

Napi::Value MpiAddon::IsInitialized(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), initialized_); }

Napi::Value MpiAddon::IsFinalized(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), finalized_); }

Napi::Value MpiAddon::InFlight(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), CountInFlight()); }

Napi::Value MpiAddon::CommRank(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), CommArg(info, 0).rank); }

Napi::Value MpiAddon::CommSize(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), CommArg(info, 0).size); }

}  // namespace syncopate

using syncopate::MpiAddon;
NODE_API_ADDON(MpiAddon)
