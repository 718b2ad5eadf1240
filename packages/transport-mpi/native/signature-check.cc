#include "signature-check.h"

#include <algorithm>

namespace syncopate {

namespace {

const char* KindName(int kind) {
  switch (static_cast<CollectiveKind>(kind)) {
    case CollectiveKind::kAllreduce: return "allreduce";
    case CollectiveKind::kBroadcast: return "broadcast";
    case CollectiveKind::kAllgather: return "allgather";
    case CollectiveKind::kAllgatherv: return "allgatherv";
    case CollectiveKind::kGather: return "gather";
    case CollectiveKind::kReduceScatter: return "reduceScatter";
    case CollectiveKind::kBarrier: return "barrier";
    case CollectiveKind::kSplit: return "split";
  }
  return "unknown collective";
}

const char* OpName(int op) {
  switch (static_cast<ReduceOp>(op)) {
    case ReduceOp::kSum: return "sum";
    case ReduceOp::kMax: return "max";
    case ReduceOp::kMin: return "min";
  }
  return "?";
}

// Packs kind, element type and op into one int so that one MAX-reduction compares all three.
int Code(const Signature& s) { return static_cast<int>(s.kind) * 256 + static_cast<int>(s.type) * 16 + s.op; }

// "allreduce(float32, sum) of 1000 elements", for the message that names what each rank did.
std::string Describe(int code, int count, int aux) {
  int kind = code / 256;
  int type = (code / 16) % 16;
  int op = code % 16;
  std::string text = KindName(kind);
  switch (static_cast<CollectiveKind>(kind)) {
    case CollectiveKind::kAllreduce:
      return text + "(" + ElementTypeName(type) + ", " + OpName(op) + ") of " + std::to_string(count) + " elements";
    case CollectiveKind::kReduceScatter:
      return text + "(" + ElementTypeName(type) + ", " + OpName(op) + ") of " + std::to_string(count) +
             " elements, counts #" + std::to_string(static_cast<unsigned>(aux));
    case CollectiveKind::kBroadcast:
      return text + " from root " + std::to_string(aux) + " of " + std::to_string(count) + " bytes";
    case CollectiveKind::kGather:
      return text + " to root " + std::to_string(aux);
    case CollectiveKind::kAllgatherv:
      return text + "(" + ElementTypeName(type) + ") of " + std::to_string(count) + " elements, counts #" +
             std::to_string(static_cast<unsigned>(aux));
    default:
      return text;
  }
}

}  // namespace

int HashCounts(const std::vector<int>& counts) {
  unsigned hash = 2166136261u;
  for (int c : counts) {
    for (int b = 0; b < 4; ++b) {
      hash ^= static_cast<unsigned>(c >> (8 * b)) & 0xffu;
      hash *= 16777619u;
    }
  }
  return static_cast<int>(hash & 0x7fffffff);
}


SignatureCheck::SignatureCheck(const std::string& operation, const Signature& mine)
    : operation_(operation), mine_{static_cast<int>(mine.count), Code(mine), mine.aux}, bounds_{} {}

bool SignatureCheck::Start(MPI_Comm comm, MPI_Request* request, Failure* failure) {
  const int count = mine_[0], code = mine_[1], aux = mine_[2];
  const int bounds[6] = {count, -count, code, -code, aux, -aux};
  std::copy(bounds, bounds + 6, bounds_);
  int rc = MPI_Iallreduce(MPI_IN_PLACE, bounds_, 6, MPI_INT, MPI_MAX, comm, request);
  if (rc == MPI_SUCCESS) return true;
  *failure = MpiFailure(operation_, "MPI_Iallreduce (signature check)", rc);
  return false;
}

bool SignatureCheck::Agreed(MPI_Comm comm, MPI_Request* request, Failure* failure) {
  if (bounds_[0] == -bounds_[1] && bounds_[2] == -bounds_[3] && bounds_[4] == -bounds_[5]) return true;
  MPI_Comm_size(comm, &size_);
  all_.assign(3 * static_cast<size_t>(size_), 0);
  int rc = MPI_Iallgather(mine_, 3, MPI_INT, all_.data(), 3, MPI_INT, comm, request);
  if (rc != MPI_SUCCESS) *failure = MpiFailure(operation_, "MPI_Iallgather (signature check)", rc);
  return false;
}

void SignatureCheck::Explain(Failure* failure) const {
  const bool onlyLengths = bounds_[2] == -bounds_[3] && bounds_[4] == -bounds_[5];
  failure->operation = operation_;
  if (onlyLengths) {
    failure->code = "LENGTH_MISMATCH";
    failure->message = operation_ + ": ranks passed buffers of different lengths";
    for (int r = 0; r < size_; ++r) failure->lengths.push_back(all_[3 * r]);
    return;
  }
  failure->code = "SIGNATURE";
  failure->message = operation_ + ": ranks called different collectives";
  for (int r = 0; r < size_; ++r) {
    std::string text = Describe(all_[3 * r + 1], all_[3 * r], all_[3 * r + 2]);
    failure->signatures.push_back(text);
    failure->message += (r == 0 ? " (" : "; ") + std::string("rank ") + std::to_string(r) + ": " + text;
  }
  failure->message += ")";
}

}  // namespace syncopate
