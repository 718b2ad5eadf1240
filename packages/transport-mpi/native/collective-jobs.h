// The collectives the addon offers, as calls a lane (or the JS thread's fast path) runs.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <functional>
#include <memory>
#include <vector>

#include "buffer-view.h"
#include "checked-call.h"
#include "ring-allreduce.h"

namespace syncopate {

// In-place element-wise reduction over all ranks.
class AllreduceCall : public CheckedCall {
 public:
  AllreduceCall(Napi::Env env, BufferView buffer, ReduceOp op, bool check, bool nonblocking);

 protected:
  bool Move(MPI_Comm comm) override;
  int StartMove(MPI_Comm comm, MPI_Request* request) override;

 private:
  BufferView buffer_;
};

// In place: every rank's buffer becomes root's.
class BroadcastCall : public CheckedCall {
 public:
  BroadcastCall(Napi::Env env, BufferView buffer, int root, bool check, bool nonblocking);

 protected:
  bool Move(MPI_Comm comm) override;
  int StartMove(MPI_Comm comm, MPI_Request* request) override;

 private:
  BufferView buffer_;
  int root_;
};

// Bytes of any length from every rank; resolves to one Uint8Array per rank (all views of one
// ArrayBuffer). `root` >= 0 makes it a gather: only root receives, others resolve to undefined.
class GatherBytesCall : public CheckedCall {
 public:
  GatherBytesCall(Napi::Env env, BufferView data, int root, bool check);
  ~GatherBytesCall() override;

 protected:
  bool Move(MPI_Comm comm) override;
  Napi::Value Result(Napi::Env env) override;

 private:
  BufferView data_;
  int root_;
  bool receives_ = true;
  std::vector<int> counts_;
  std::vector<int> displacements_;
  char* gathered_ = nullptr;
  size_t total_ = 0;
};

// Typed elements, `counts[r]` from rank r, into `recv` at consecutive offsets.
class AllgathervCall : public CheckedCall {
 public:
  AllgathervCall(Napi::Env env, BufferView send, BufferView recv, std::vector<int> counts, bool check);

 protected:
  bool Move(MPI_Comm comm) override;

 private:
  BufferView send_;
  BufferView recv_;
  std::vector<int> counts_;
};

// In-place reduce-scatter: block r (counts[r] elements) ends up reduced at its own offset.
class ReduceScatterCall : public CheckedCall {
 public:
  ReduceScatterCall(Napi::Env env, BufferView buffer, std::vector<int> counts, ReduceOp op, bool check);

 protected:
  bool Move(MPI_Comm comm) override;

 private:
  BufferView buffer_;
  std::vector<int> counts_;
};

class BarrierCall : public CheckedCall {
 public:
  BarrierCall(Napi::Env env, bool check, bool nonblocking);

 protected:
  bool Move(MPI_Comm comm) override;
  int StartMove(MPI_Comm comm, MPI_Request* request) override;
};

// MPI_Comm_split; `adopt` (JS thread) turns the new communicator into a handle.
class SplitCall : public CheckedCall {
 public:
  SplitCall(Napi::Env env, int color, int key, bool check, std::function<int(MPI_Comm)> adopt);

 protected:
  bool Move(MPI_Comm comm) override;
  Napi::Value Result(Napi::Env env) override;

 private:
  int color_;
  int key_;
  MPI_Comm created_ = MPI_COMM_NULL;
  std::function<int(MPI_Comm)> adopt_;
};

// MPI_Comm_free, queued behind the communicator's other collectives; frees the ring
// allreduce's duplicate too when it was made.
class FreeCall : public CollectiveCall {
 public:
  FreeCall(Napi::Env env, std::shared_ptr<RingState> ring) : CollectiveCall(env), ring_(std::move(ring)) {}
  void Run(MPI_Comm comm) override;

 private:
  std::shared_ptr<RingState> ring_;
};

// "sum" | "max" | "min"; throws a TypeError otherwise.
ReduceOp ParseReduceOp(Napi::Env env, Napi::Value value);

}  // namespace syncopate
