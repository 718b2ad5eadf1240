#include "ring-allreduce.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace syncopate {

namespace {

// Block or segment i of `parts` near-equal contiguous parts of `total` elements (the first
// total % parts parts one element longer), as `evenBlocks` of @syncopate/collectives cuts them.
struct Part {
  long long offset;
  long long count;
};
Part PartOf(long long total, long long parts, long long i) {
  const long long base = total / parts, extra = total % parts;
  return Part{i * base + std::min(i, extra), base + (i < extra ? 1 : 0)};
}

// target ← target ⊕ arrived, as combineInto of @syncopate/collectives does it: a NaN arriving
// wins a max or min; int32 sums wrap around like an Int32Array's.
template <typename T>
void CombineInto(T* target, const T* arrived, long long count, ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      for (long long i = 0; i < count; ++i) target[i] += arrived[i];
      break;
    case ReduceOp::kMax:
      for (long long i = 0; i < count; ++i)
        if (arrived[i] > target[i] || arrived[i] != arrived[i]) target[i] = arrived[i];
      break;
    case ReduceOp::kMin:
      for (long long i = 0; i < count; ++i)
        if (arrived[i] < target[i] || arrived[i] != arrived[i]) target[i] = arrived[i];
      break;
  }
}

template <>
void CombineInto<int32_t>(int32_t* target, const int32_t* arrived, long long count, ReduceOp op) {
  if (op != ReduceOp::kSum) {
    for (long long i = 0; i < count; ++i) {
      if (op == ReduceOp::kMax ? arrived[i] > target[i] : arrived[i] < target[i]) target[i] = arrived[i];
    }
    return;
  }
  for (long long i = 0; i < count; ++i) target[i] = static_cast<int32_t>(static_cast<uint32_t>(target[i]) + static_cast<uint32_t>(arrived[i]));
}

void Combine(ElementType type, void* target, const void* arrived, long long count, ReduceOp op) {
  switch (type) {
    case ElementType::kInt32: CombineInto(static_cast<int32_t*>(target), static_cast<const int32_t*>(arrived), count, op); break;
    case ElementType::kFloat32: CombineInto(static_cast<float*>(target), static_cast<const float*>(arrived), count, op); break;
    case ElementType::kFloat64: CombineInto(static_cast<double*>(target), static_cast<const double*>(arrived), count, op); break;
    default: break;
  }
}

}  // namespace

RingAllreduceCall::RingAllreduceCall(Napi::Env env, BufferView buffer, ReduceOp op, long long segmentBytes, bool check,
                                     std::shared_ptr<RingState> ring)
    : CheckedCall(env, "ringAllreduce",
                  Signature{CollectiveKind::kRingAllreduce, buffer.type, static_cast<int>(op), static_cast<long long>(buffer.length),
                            static_cast<int>(std::min<long long>(segmentBytes, INT32_MAX))},
                  check, false),
      buffer_(buffer),
      segmentBytes_(segmentBytes),
      ring_(std::move(ring)) {}

bool RingAllreduceCall::Move(MPI_Comm comm) {
  if (ring_->comm == MPI_COMM_NULL) {
    int rc = MPI_Comm_dup(comm, &ring_->comm);
    if (rc != MPI_SUCCESS) return Fail("MPI_Comm_dup (the ring's communicator)", rc);
  }
  const MPI_Comm ring = ring_->comm;
  int rank = 0, n = 1;
  MPI_Comm_rank(ring, &rank);
  MPI_Comm_size(ring, &n);
  if (n == 1) return true;
  const long long length = static_cast<long long>(buffer_.length);
  const long long element = length > 0 ? static_cast<long long>(buffer_.byteLength) / length : 1;
  const long long largest = PartOf(length, n, 0).count;
  const long long k = std::max(1LL, (largest * element + segmentBytes_ - 1) / segmentBytes_);
  const MPI_Datatype type = MpiType(buffer_.type);
  const ReduceOp op = static_cast<ReduceOp>(signature_.op);
  char* base = static_cast<char*>(buffer_.data);
  std::vector<char>* scratch = ring_->scratch;
  for (int p = 0; p < 2; ++p) {
    const size_t bytes = static_cast<size_t>(std::max(1LL, largest * element));
    if (scratch[p].size() < bytes) scratch[p].resize(bytes);
    received_[p].assign(static_cast<size_t>(k), MPI_REQUEST_NULL);
    sent_[p].assign(static_cast<size_t>(k), MPI_REQUEST_NULL);
  }
  const int next = (rank + 1) % n, prev = (rank + n - 1) % n;
  const int steps = 2 * (n - 1);
  const auto mod = [n](long long x) { return ((x % n) + n) % n; };
  int rc = MPI_SUCCESS;
  for (int s = 0; s < steps; ++s) {
    const int p = s & 1;
    // Step s: send block (r − s − 1), receive block (r − s − 2); reduce while s < n − 1.
    const Part sendBlock = PartOf(length, n, mod(rank - s - 1)), recvBlock = PartOf(length, n, mod(rank - s - 2));
    for (long long j = 0; j < k; ++j) {
      const Part seg = PartOf(recvBlock.count, k, j);
      char* into = s < n - 1 ? scratch[p].data() + seg.offset * element : base + (recvBlock.offset + seg.offset) * element;
      rc = MPI_Irecv(into, static_cast<int>(seg.count), type, prev, s, ring, &received_[p][j]);
      if (rc != MPI_SUCCESS) return Fail("MPI_Irecv", rc);
    }
    // The sends of step s − 2 used these request slots.
    rc = MPI_Waitall(static_cast<int>(k), sent_[p].data(), MPI_STATUSES_IGNORE);
    if (rc != MPI_SUCCESS) return Fail("MPI_Waitall (sends)", rc);
    for (long long j = 0; j < k; ++j) {
      const Part seg = PartOf(sendBlock.count, k, j);
      char* from = base + (sendBlock.offset + seg.offset) * element;
      if (s > 0) {
        // This segment arrived at step s − 1 (the block received then is the one sent now).
        rc = MPI_Wait(&received_[1 - p][j], MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS) return Fail("MPI_Wait (receive)", rc);
        if (s - 1 < n - 1) Combine(buffer_.type, from, scratch[1 - p].data() + seg.offset * element, seg.count, op);
      }
      rc = MPI_Isend(from, static_cast<int>(seg.count), type, next, s, ring, &sent_[p][j]);
      if (rc != MPI_SUCCESS) return Fail("MPI_Isend", rc);
    }
  }
  rc = MPI_Waitall(static_cast<int>(k), received_[(steps - 1) & 1].data(), MPI_STATUSES_IGNORE);
  if (rc == MPI_SUCCESS) rc = MPI_Waitall(static_cast<int>(k), sent_[0].data(), MPI_STATUSES_IGNORE);
  if (rc == MPI_SUCCESS) rc = MPI_Waitall(static_cast<int>(k), sent_[1].data(), MPI_STATUSES_IGNORE);
  return rc == MPI_SUCCESS || Fail("MPI_Waitall", rc);
}

}  // namespace syncopate
