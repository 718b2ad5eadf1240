#include "collective-jobs.h"

#include <climits>
#include <cstdlib>
#include <cstring>

namespace syncopate {

namespace {

MPI_Op MpiOp(ReduceOp op) {
  switch (op) {
    case ReduceOp::kMax: return MPI_MAX;
    case ReduceOp::kMin: return MPI_MIN;
    default: return MPI_SUM;
  }
}

}  // namespace

ReduceOp ParseReduceOp(Napi::Env env, Napi::Value value) {
  std::string op = value.IsString() ? value.As<Napi::String>().Utf8Value() : "";
  if (op == "sum") return ReduceOp::kSum;
  if (op == "max") return ReduceOp::kMax;
  if (op == "min") return ReduceOp::kMin;
  throw Napi::TypeError::New(env, "op must be 'sum', 'max' or 'min'");
}

AllreduceCall::AllreduceCall(Napi::Env env, BufferView buffer, ReduceOp op, bool check, bool nonblocking)
    : CheckedCall(env, "allreduce",
                  Signature{CollectiveKind::kAllreduce, buffer.type, static_cast<int>(op), static_cast<long long>(buffer.length), 0},
                  check, nonblocking),
      buffer_(buffer) {
  Carry(buffer_);
}

int AllreduceCall::StartMove(MPI_Comm comm, MPI_Request* request) {
  return MPI_Iallreduce(MPI_IN_PLACE, buffer_.data, static_cast<int>(buffer_.length), MpiType(buffer_.type),
                        MpiOp(static_cast<ReduceOp>(signature_.op)), comm, request);
}

bool AllreduceCall::Move(MPI_Comm comm) {
  int rc = MPI_Allreduce(MPI_IN_PLACE, buffer_.data, static_cast<int>(buffer_.length), MpiType(buffer_.type),
                         MpiOp(static_cast<ReduceOp>(signature_.op)), comm);
  return rc == MPI_SUCCESS || Fail("MPI_Allreduce", rc);
}

BroadcastCall::BroadcastCall(Napi::Env env, BufferView buffer, int root, bool check, bool nonblocking)
    : CheckedCall(env, "broadcast",
                  Signature{CollectiveKind::kBroadcast, ElementType::kBytes, 0, static_cast<long long>(buffer.byteLength), root},
                  check, nonblocking),
      buffer_(buffer),
      root_(root) {}

int BroadcastCall::StartMove(MPI_Comm comm, MPI_Request* request) {
  return MPI_Ibcast(buffer_.data, static_cast<int>(buffer_.byteLength), MPI_BYTE, root_, comm, request);
}

bool BroadcastCall::Move(MPI_Comm comm) {
  int rc = MPI_Bcast(buffer_.data, static_cast<int>(buffer_.byteLength), MPI_BYTE, root_, comm);
  return rc == MPI_SUCCESS || Fail("MPI_Bcast", rc);
}

GatherBytesCall::GatherBytesCall(Napi::Env env, BufferView data, int root, bool check)
    : CheckedCall(env, root < 0 ? "allgather" : "gather",
                  Signature{root < 0 ? CollectiveKind::kAllgather : CollectiveKind::kGather, ElementType::kBytes, 0, 0, root},
                  check, false),
      data_(data),
      root_(root) {}

GatherBytesCall::~GatherBytesCall() { std::free(gathered_); }

bool GatherBytesCall::Move(MPI_Comm comm) {
  int size = 0;
  int rank = 0;
  MPI_Comm_size(comm, &size);
  MPI_Comm_rank(comm, &rank);
  receives_ = root_ < 0 || rank == root_;
  int mine = static_cast<int>(data_.byteLength);
  counts_.assign(size, 0);
  // Lengths go to every rank, even for a gather, so that all ranks take the same branch below.
  int rc = MPI_Allgather(&mine, 1, MPI_INT, counts_.data(), 1, MPI_INT, comm);
  if (rc != MPI_SUCCESS) return Fail("MPI_Allgather (lengths)", rc);
  long long total = 0;
  displacements_.assign(size, 0);
  for (int r = 0; r < size; ++r) {
    displacements_[r] = static_cast<int>(total < INT_MAX ? total : 0);
    total += counts_[r];
  }
  if (total > INT_MAX) {
    failure_ = PlainFailure("INVALID", operation_,
                       operation_ + ": " + std::to_string(total) + " bytes in all is more than one MPI call can move (2^31 - 1)");
    return false;
  }
  if (receives_) {
    total_ = static_cast<size_t>(total);
    gathered_ = static_cast<char*>(std::malloc(total_ > 0 ? total_ : 1));
    if (gathered_ == nullptr) return Fail("malloc", MPI_ERR_NO_MEM);
  }
  rc = root_ < 0 ? MPI_Allgatherv(data_.data, mine, MPI_BYTE, gathered_, counts_.data(), displacements_.data(), MPI_BYTE, comm)
                 : MPI_Gatherv(data_.data, mine, MPI_BYTE, gathered_, counts_.data(), displacements_.data(), MPI_BYTE, root_, comm);
  return rc == MPI_SUCCESS || Fail(root_ < 0 ? "MPI_Allgatherv" : "MPI_Gatherv", rc);
}

Napi::Value GatherBytesCall::Result(Napi::Env env) {
  if (!receives_) return env.Undefined();
  char* data = gathered_;
  gathered_ = nullptr;
  Napi::ArrayBuffer buffer =
      Napi::ArrayBuffer::New(env, data, total_ > 0 ? total_ : 1, [](Napi::Env, void* memory) { std::free(memory); });
  Napi::Array parts = Napi::Array::New(env, counts_.size());
  for (size_t r = 0; r < counts_.size(); ++r) {
    parts.Set(r, Napi::Uint8Array::New(env, counts_[r], buffer, displacements_[r]));
  }
  return parts;
}

AllgathervCall::AllgathervCall(Napi::Env env, BufferView send, BufferView recv, std::vector<int> counts, bool check)
    : CheckedCall(env, "allgatherv", Signature{CollectiveKind::kAllgatherv, recv.type, 0, static_cast<long long>(recv.length), HashCounts(counts)},
                  check, false),
      send_(send),
      recv_(recv),
      counts_(std::move(counts)) {}

bool AllgathervCall::Move(MPI_Comm comm) {
  std::vector<int> displacements(counts_.size(), 0);
  for (size_t r = 1; r < counts_.size(); ++r) displacements[r] = displacements[r - 1] + counts_[r - 1];
  MPI_Datatype type = MpiType(recv_.type);
  int rc = MPI_Allgatherv(send_.data, static_cast<int>(send_.length), type, recv_.data, counts_.data(), displacements.data(), type, comm);
  return rc == MPI_SUCCESS || Fail("MPI_Allgatherv", rc);
}

ReduceScatterCall::ReduceScatterCall(Napi::Env env, BufferView buffer, std::vector<int> counts, ReduceOp op, bool check)
    : CheckedCall(env, "reduceScatter",
                  Signature{CollectiveKind::kReduceScatter, buffer.type, static_cast<int>(op), static_cast<long long>(buffer.length), HashCounts(counts)},
                  check, false),
      buffer_(buffer),
      counts_(std::move(counts)) {}

bool ReduceScatterCall::Move(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  MPI_Datatype type = MpiType(buffer_.type);
  int rc = MPI_Reduce_scatter(MPI_IN_PLACE, buffer_.data, counts_.data(), type, MpiOp(static_cast<ReduceOp>(signature_.op)), comm);
  if (rc != MPI_SUCCESS) return Fail("MPI_Reduce_scatter", rc);
  // In place, MPI leaves this rank's block at the start of the buffer; move it to its offset.
  size_t elementSize = buffer_.byteLength / (buffer_.length > 0 ? buffer_.length : 1);
  size_t offset = 0;
  for (int r = 0; r < rank; ++r) offset += static_cast<size_t>(counts_[r]);
  if (offset > 0 && counts_[rank] > 0) {
    char* base = static_cast<char*>(buffer_.data);
    std::memmove(base + offset * elementSize, base, static_cast<size_t>(counts_[rank]) * elementSize);
  }
  return true;
}

BarrierCall::BarrierCall(Napi::Env env, bool check, bool nonblocking)
    : CheckedCall(env, "barrier", Signature{CollectiveKind::kBarrier}, check, nonblocking) {}

int BarrierCall::StartMove(MPI_Comm comm, MPI_Request* request) { return MPI_Ibarrier(comm, request); }

bool BarrierCall::Move(MPI_Comm comm) {
  int rc = MPI_Barrier(comm);
  return rc == MPI_SUCCESS || Fail("MPI_Barrier", rc);
}

SplitCall::SplitCall(Napi::Env env, int color, int key, bool check, std::function<int(MPI_Comm)> adopt)
    : CheckedCall(env, "split", Signature{CollectiveKind::kSplit}, check, false), color_(color), key_(key), adopt_(std::move(adopt)) {}

bool SplitCall::Move(MPI_Comm comm) {
  int rc = MPI_Comm_split(comm, color_, key_, &created_);
  if (rc != MPI_SUCCESS) return Fail("MPI_Comm_split", rc);
  if (created_ != MPI_COMM_NULL) MPI_Comm_set_errhandler(created_, MPI_ERRORS_RETURN);
  return true;
}

Napi::Value SplitCall::Result(Napi::Env env) {
  if (created_ == MPI_COMM_NULL) return env.Null();
  return Napi::Number::New(env, adopt_(created_));
}

void FreeCall::Run(MPI_Comm comm) {
  if (ring_->comm != MPI_COMM_NULL) MPI_Comm_free(&ring_->comm);
  for (std::vector<char>& scratch : ring_->scratch) std::vector<char>().swap(scratch);
  int rc = MPI_Comm_free(&comm);
  if (rc != MPI_SUCCESS) failure_ = MpiFailure("dispose", "MPI_Comm_free", rc);
}

}  // namespace syncopate
