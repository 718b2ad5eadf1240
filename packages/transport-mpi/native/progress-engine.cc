#include "progress-engine.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

namespace syncopate {

namespace {

// Polls that find nothing before the engine starts to sleep between polls, and the longest
// sleep: a message that arrives while the engine sleeps waits at most this long for it.
constexpr int kBusyPolls = 200;
constexpr int kMaxSleepMicros = 250;

std::string Describe(const MessageCall& call) {
  return std::string(call.kind == MessageCall::Kind::kSend ? "send to rank " : "recv from rank ") + std::to_string(call.peer) +
         " (tag " + std::to_string(call.tag) + ")";
}

}  // namespace

MessageCall::MessageCall(Napi::Env env, Kind kind, double id, MPI_Comm comm, int self, int peer, int tag, void* data,
                         long long expectedBytes)
    : Call(env), kind(kind), id(id), comm(comm), self(self), peer(peer), tag(tag), data(data), expectedBytes(expectedBytes) {}

MessageCall::~MessageCall() { std::free(owned); }

Napi::Value MessageCall::Result(Napi::Env env) {
  if (kind == Kind::kSend || expectedBytes >= 0) return env.Undefined();
  char* memory = owned;
  owned = nullptr;
  Napi::ArrayBuffer buffer =
      Napi::ArrayBuffer::New(env, memory, received > 0 ? static_cast<size_t>(received) : 1, [](Napi::Env, void* m) { std::free(m); });
  return Napi::Uint8Array::New(env, static_cast<size_t>(received), buffer, 0);
}

ProgressEngine* ProgressEngine::Start(Napi::Env env) {
  ProgressEngine* engine = new ProgressEngine(env);
  engine->done_ = Done::New(env, "syncopate-mpi-messages", 0, 1, engine);
  engine->done_.Unref(env);
  engine->cleanup_ = env.AddCleanupHook(&ProgressEngine::Teardown, engine);
  engine->thread_ = std::thread(&ProgressEngine::Loop, engine);
  return engine;
}

void ProgressEngine::Submit(Napi::Env env, MessageCall* call) {
  if (inFlight_++ == 0) done_.Ref(env);
  if (call->kind == MessageCall::Kind::kRecv) receives_[call->id] = call;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    incoming_.push_back(call);
  }
  wake_.notify_one();
}

bool ProgressEngine::Cancel(double id) {
  auto found = receives_.find(id);
  if (found == receives_.end()) return false;
  MessageCall* call = found->second;
  {
    std::lock_guard<std::mutex> lock(call->mutex);
    if (call->state != MessageCall::State::kWaiting) return false;
    call->state = MessageCall::State::kCancelled;
  }
  wake_.notify_one();
  return true;
}

void ProgressEngine::Finish(MessageCall* call) { done_.NonBlockingCall(call); }

// Engine thread. Probes for `call`'s message; on a match, posts the receive and returns true.
bool ProgressEngine::TryMatch(MessageCall* call) {
  std::unique_lock<std::mutex> lock(call->mutex);
  int flag = 0;
  MPI_Message message = MPI_MESSAGE_NULL;
  MPI_Status status;
  int rc = MPI_Improbe(call->peer, call->tag, call->comm, &flag, &message, &status);
  if (rc != MPI_SUCCESS) {
    call->Fail(MpiFailure(Describe(*call), "MPI_Improbe", rc));
    return true;
  }
  if (!flag) return false;
  call->state = MessageCall::State::kMatched;
  lock.unlock();

  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  call->received = count;
  void* target = call->data;
  if (call->expectedBytes < 0 || count != call->expectedBytes) {
    call->owned = static_cast<char*>(std::malloc(count > 0 ? static_cast<size_t>(count) : 1));
    target = call->owned;
    if (call->expectedBytes >= 0) {
      Failure failure;
      failure.code = "LENGTH_MISMATCH";
      failure.operation = "recvInto";
      failure.message = "recvInto: rank " + std::to_string(call->self) + " expected " + std::to_string(call->expectedBytes) +
                        " bytes from rank " + std::to_string(call->peer) + " (tag " + std::to_string(call->tag) + ") but rank " +
                        std::to_string(call->peer) + " sent " + std::to_string(count);
      failure.ranks = {call->self, call->peer};
      failure.lengths = {call->expectedBytes, count};
      call->Fail(std::move(failure));  // the message is still received (and dropped) below
    }
  }
  rc = MPI_Imrecv(target, count, MPI_BYTE, &message, &call->request);
  if (rc != MPI_SUCCESS) call->Fail(MpiFailure(Describe(*call), "MPI_Imrecv", rc));
  return true;
}

void ProgressEngine::Loop() {
  std::vector<MessageCall*> unmatched;  // receives not matched yet, in call order
  std::vector<MessageCall*> active;     // posted requests
  std::vector<MPI_Request> requests;
  std::vector<int> indices;
  std::vector<MPI_Status> statuses;
  struct Key {
    MPI_Comm comm;
    int peer;
    int tag;
  };
  std::vector<Key> blocked;
  int idle = 0;
  for (;;) {
    std::vector<MessageCall*> incoming;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      auto ready = [this] { return !incoming_.empty() || stopping_; };
      if (unmatched.empty() && active.empty()) {
        wake_.wait(lock, ready);
      } else if (idle > kBusyPolls) {
        int micros = std::min(kMaxSleepMicros, 1 << std::min(idle - kBusyPolls, 8));
        wake_.wait_for(lock, std::chrono::microseconds(micros), ready);
      }
      if (stopping_) break;
      incoming.swap(incoming_);
    }
    bool progressed = !incoming.empty();
    for (MessageCall* call : incoming) {
      if (call->kind == MessageCall::Kind::kSend) {
        int rc = MPI_Isend(call->data, static_cast<int>(call->expectedBytes), MPI_BYTE, call->peer, call->tag, call->comm, &call->request);
        if (rc != MPI_SUCCESS) {
          call->Fail(MpiFailure(Describe(*call), "MPI_Isend", rc));
          Finish(call);
        } else {
          active.push_back(call);
        }
      } else {
        unmatched.push_back(call);
      }
    }

    blocked.clear();
    for (size_t i = 0; i < unmatched.size();) {
      MessageCall* call = unmatched[i];
      bool cancelled;
      {
        std::lock_guard<std::mutex> lock(call->mutex);
        cancelled = call->state == MessageCall::State::kCancelled;
      }
      if (cancelled) {
        call->Fail(PlainFailure("CANCELLED", "recv", Describe(*call) + " was withdrawn before a message arrived"));
        Finish(call);
        unmatched.erase(unmatched.begin() + i);
        progressed = true;
        continue;
      }
      bool waitsBehind = std::any_of(blocked.begin(), blocked.end(), [call](const Key& k) {
        return k.comm == call->comm && k.peer == call->peer && k.tag == call->tag;
      });
      if (waitsBehind || !TryMatch(call)) {
        if (!waitsBehind) blocked.push_back(Key{call->comm, call->peer, call->tag});
        ++i;
        continue;
      }
      unmatched.erase(unmatched.begin() + i);
      progressed = true;
      if (call->request == MPI_REQUEST_NULL) {
        Finish(call);  // failed before a receive was posted
      } else {
        active.push_back(call);
      }
    }

    if (!active.empty()) {
      size_t n = active.size();
      requests.resize(n);
      indices.resize(n);
      statuses.resize(n);
      for (size_t i = 0; i < n; ++i) requests[i] = active[i]->request;
      int done = 0;
      int rc = MPI_Testsome(static_cast<int>(n), requests.data(), &done, indices.data(), statuses.data());
      if (rc != MPI_SUCCESS && rc != MPI_ERR_IN_STATUS) {
        for (MessageCall* call : active) {
          call->Fail(MpiFailure(Describe(*call), "MPI_Testsome", rc));
          Finish(call);
        }
        active.clear();
        progressed = true;
      } else if (done > 0 && done != MPI_UNDEFINED) {
        for (int k = 0; k < done; ++k) {
          MessageCall* call = active[indices[k]];
          call->request = MPI_REQUEST_NULL;
          int error = statuses[k].MPI_ERROR;
          if (rc == MPI_ERR_IN_STATUS && error != MPI_SUCCESS) {
            call->Fail(MpiFailure(Describe(*call), call->kind == MessageCall::Kind::kSend ? "MPI_Isend" : "MPI_Imrecv", error));
          }
          Finish(call);
          active[indices[k]] = nullptr;
        }
        active.erase(std::remove(active.begin(), active.end(), nullptr), active.end());
        progressed = true;
      }
    }
    idle = progressed ? 0 : idle + 1;
    if (idle > 0 && idle <= kBusyPolls) std::this_thread::yield();
  }
  done_.Release();
}

void ProgressEngine::Complete(Napi::Env env, Napi::Function, ProgressEngine* engine, MessageCall* call) {
  if (env == nullptr) return;
  if (call->kind == MessageCall::Kind::kRecv) engine->receives_.erase(call->id);
  call->Settle(env);
  delete call;
  if (--engine->inFlight_ == 0) engine->done_.Unref(env);
}

void ProgressEngine::Halt() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
}

bool ProgressEngine::Stop(ProgressEngine* engine) {
  if (engine->inFlight_ > 0) return false;
  engine->cleanup_.Remove(Napi::Env(engine->env_));
  engine->Halt();
  engine->thread_.join();
  delete engine;
  return true;
}

void ProgressEngine::Teardown(ProgressEngine* engine) {
  // The engine never blocks inside MPI, so it always stops; calls in flight die with the process.
  engine->Halt();
  engine->thread_.join();
}

}  // namespace syncopate
