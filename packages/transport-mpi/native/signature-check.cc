#include "signature-check.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

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
    case CollectiveKind::kRingAllreduce: return "ringAllreduce";
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
    case CollectiveKind::kRingAllreduce:
      return text + "(" + ElementTypeName(type) + ", " + OpName(op) + ") of " + std::to_string(count) + " elements in segments of " +
             std::to_string(aux) + " bytes";
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


namespace {

MPI_Datatype envelopeType = MPI_DATATYPE_NULL;
MPI_Op envelopeOp = MPI_OP_NULL;

size_t ElementBytes(int type) {
  switch (static_cast<ElementType>(type)) {
    case ElementType::kInt32:
    case ElementType::kFloat32: return 4;
    case ElementType::kFloat64: return 8;
    default: return 0;
  }
}

// Whether the check carries the data of this call: an allreduce of at most kFoldBytes. Decided
// from the signature alone, so ranks that agree on it decide alike.
bool CarriesData(int code, int count) {
  size_t element = ElementBytes((code / 16) % 16);
  return code / 256 == static_cast<int>(CollectiveKind::kAllreduce) && element > 0 && count >= 0 &&
         static_cast<size_t>(count) * element <= kFoldBytes;
}

template <typename T>
void Combine(const void* in, void* inout, int count, int op) {
  const T* a = static_cast<const T*>(in);
  T* b = static_cast<T*>(inout);
  switch (static_cast<ReduceOp>(op)) {
    case ReduceOp::kSum: for (int i = 0; i < count; ++i) b[i] = a[i] + b[i]; break;
    case ReduceOp::kMax: for (int i = 0; i < count; ++i) b[i] = a[i] > b[i] ? a[i] : b[i]; break;
    case ReduceOp::kMin: for (int i = 0; i < count; ++i) b[i] = a[i] < b[i] ? a[i] : b[i]; break;
  }
}

bool Uniform(const Envelope& e) { return e.bounds[0] == -e.bounds[1] && e.bounds[2] == -e.bounds[3] && e.bounds[4] == -e.bounds[5]; }

// The envelope's MPI_Op: MAX on the bounds; the payload is reduced only while both sides are
// uniform and equal, i.e. while every rank behind them passed the same signature, so a payload
// is never read with a type or length that some rank did not give it.
void ReduceEnvelopes(void* in, void* inout, int* len, MPI_Datatype*) {
  const Envelope* a = static_cast<const Envelope*>(in);
  Envelope* b = static_cast<Envelope*>(inout);
  for (int n = 0; n < *len; ++n, ++a, ++b) {
    const bool same = Uniform(*a) && Uniform(*b) && a->bounds[0] == b->bounds[0] && a->bounds[2] == b->bounds[2] &&
                      a->bounds[4] == b->bounds[4];
    const int count = b->bounds[0], code = b->bounds[2];
    if (same && CarriesData(code, count)) {
      switch (static_cast<ElementType>((code / 16) % 16)) {
        case ElementType::kInt32: Combine<int32_t>(a->payload, b->payload, count, code % 16); break;
        case ElementType::kFloat32: Combine<float>(a->payload, b->payload, count, code % 16); break;
        case ElementType::kFloat64: Combine<double>(a->payload, b->payload, count, code % 16); break;
        default: break;
      }
    }
    for (int k = 0; k < 6; ++k) b->bounds[k] = std::max(a->bounds[k], b->bounds[k]);
  }
}

}  // namespace

bool SignatureCheck::Setup() {
  if (MPI_Type_contiguous(static_cast<int>(sizeof(Envelope)), MPI_BYTE, &envelopeType) != MPI_SUCCESS) return false;
  if (MPI_Type_commit(&envelopeType) != MPI_SUCCESS) return false;
  return MPI_Op_create(&ReduceEnvelopes, 1, &envelopeOp) == MPI_SUCCESS;
}

void SignatureCheck::Teardown() {
  if (envelopeOp != MPI_OP_NULL) MPI_Op_free(&envelopeOp);
  if (envelopeType != MPI_DATATYPE_NULL) MPI_Type_free(&envelopeType);
}

SignatureCheck::SignatureCheck(const std::string& operation, const Signature& mine)
    : operation_(operation), mine_{static_cast<int>(mine.count), Code(mine), mine.aux} {
  folds_ = mine.kind == CollectiveKind::kBarrier;
}

void SignatureCheck::Carry(const BufferView& data) {
  if (!CarriesData(mine_[1], mine_[0]) || data.byteLength != static_cast<size_t>(mine_[0]) * ElementBytes((mine_[1] / 16) % 16)) return;
  carried_ = data;
  folds_ = true;
}

bool SignatureCheck::Start(MPI_Comm comm, MPI_Request* request, Failure* failure) {
  const int count = mine_[0], code = mine_[1], aux = mine_[2];
  const int bounds[6] = {count, -count, code, -code, aux, -aux};
  std::copy(bounds, bounds + 6, envelope_.bounds);
  if (carried_.data != nullptr && carried_.byteLength > 0) std::memcpy(envelope_.payload, carried_.data, carried_.byteLength);
  int rc = MPI_Iallreduce(MPI_IN_PLACE, &envelope_, 1, envelopeType, envelopeOp, comm, request);
  if (rc == MPI_SUCCESS) return true;
  *failure = MpiFailure(operation_, "MPI_Iallreduce (signature check)", rc);
  return false;
}

bool SignatureCheck::Agreed(MPI_Comm comm, MPI_Request* request, Failure* failure) {
  if (Uniform(envelope_)) {
    if (folds_ && carried_.data != nullptr && carried_.byteLength > 0) std::memcpy(carried_.data, envelope_.payload, carried_.byteLength);
    return true;
  }
  MPI_Comm_size(comm, &size_);
  all_.assign(3 * static_cast<size_t>(size_), 0);
  int rc = MPI_Iallgather(mine_, 3, MPI_INT, all_.data(), 3, MPI_INT, comm, request);
  if (rc != MPI_SUCCESS) *failure = MpiFailure(operation_, "MPI_Iallgather (signature check)", rc);
  return false;
}

void SignatureCheck::Explain(Failure* failure) const {
  const int* bounds = envelope_.bounds;
  const bool onlyLengths = bounds[2] == -bounds[3] && bounds[4] == -bounds[5];
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
