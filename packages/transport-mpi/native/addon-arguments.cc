// Bookkeeping of the addon (communicators, calls in flight) and the checks of JS arguments.
#include <climits>
#include <string>
#include <vector>

#include "mpi-addon.h"

namespace syncopate {

int MpiAddon::Register(MPI_Comm comm) {
  Communicator c;
  c.comm = comm;
  MPI_Comm_rank(comm, &c.rank);
  MPI_Comm_size(comm, &c.size);
  comms_.push_back(c);
  return static_cast<int>(comms_.size() - 1);
}

int MpiAddon::IntOption(Napi::Object options, const char* name, int fallback) {
  Napi::Value value = options.Get(name);
  return value.IsNumber() ? value.As<Napi::Number>().Int32Value() : fallback;
}

int MpiAddon::CountInFlight() const {
  int total = engine_ != nullptr ? engine_->InFlight() : 0;
  for (const Communicator& c : comms_) total += c.lane != nullptr ? c.lane->InFlight() : 0;
  for (const Lane* lane : retired_) total += lane->InFlight();
  return total;
}

void MpiAddon::RequireRunning(Napi::Env env) const {
  if (!initialized_) throw ErrorWithCode(env, "MPI is not initialized: call init() first", "STATE");
  if (finalized_) throw ErrorWithCode(env, "MPI was finalized", "STATE");
}

int MpiAddon::TagUpperBound() const {
  int* value = nullptr;
  int flag = 0;
  MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &value, &flag);
  return flag && value != nullptr ? *value : 32767;
}

int MpiAddon::HandleArg(const Napi::CallbackInfo& info, size_t index) {
  Napi::Env env = info.Env();
  RequireRunning(env);
  if (!info[index].IsNumber()) throw Napi::TypeError::New(env, "comm must be a communicator handle");
  int handle = info[index].As<Napi::Number>().Int32Value();
  if (handle < 0 || handle >= static_cast<int>(comms_.size())) throw Napi::RangeError::New(env, "unknown communicator handle");
  if (comms_[handle].freed) throw ErrorWithCode(env, "communicator " + std::to_string(handle) + " was freed", "STATE");
  return handle;
}

const MpiAddon::Communicator& MpiAddon::CommArg(const Napi::CallbackInfo& info, size_t index) { return comms_[HandleArg(info, index)]; }

int MpiAddon::IntArg(const Napi::CallbackInfo& info, size_t index, const char* name, int min, int max) {
  Napi::Env env = info.Env();
  double value = info[index].IsNumber() ? info[index].As<Napi::Number>().DoubleValue() : -0.5;
  if (!info[index].IsNumber() || value != static_cast<double>(static_cast<long long>(value)) || value < min || value > max) {
    throw Napi::RangeError::New(env, std::string(name) + " must be an integer in [" + std::to_string(min) + ", " +
                                         std::to_string(max) + "]");
  }
  return static_cast<int>(value);
}

BufferView MpiAddon::BytesArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  BufferView view = ViewOf(info.Env(), info[index], what);
  if (view.byteLength > static_cast<size_t>(INT_MAX)) {
    throw Napi::RangeError::New(info.Env(), std::string(what) + " is larger than one MPI call can move (2^31 - 1 bytes)");
  }
  return view;
}

BufferView MpiAddon::NumericArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  BufferView view = BytesArg(info, index, what);
  if (view.type == ElementType::kBytes) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " must be an Int32Array, Float32Array or Float64Array");
  }
  return view;
}

std::vector<int> MpiAddon::CountsArg(const Napi::CallbackInfo& info, size_t index, const char* what, int size) {
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

}  // namespace syncopate
