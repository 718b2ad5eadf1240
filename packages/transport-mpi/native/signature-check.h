// Before a collective moves data, ranks compare what each passed to it (the collective, element
// type, op, root and length), so that ranks that disagree fail with an error that names every
// rank's call instead of corrupting data or hanging.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "buffer-view.h"
#include "failure.h"

namespace syncopate {

enum class CollectiveKind { kAllreduce = 1, kBroadcast, kAllgather, kAllgatherv, kGather, kReduceScatter, kBarrier, kSplit, kRingAllreduce };
enum class ReduceOp { kSum = 0, kMax = 1, kMin = 2 };

// What one rank passed to one collective. Ranks must agree on all of it (`count` only where
// the collective needs equal lengths).
struct Signature {
  CollectiveKind kind;
  ElementType type = ElementType::kBytes;
  int op = 0;
  long long count = 0;
  int aux = 0;  // the root, a hash of the per-rank counts, or the ring's segment size
};

// Bytes of allreduce data that ride inside the check itself (see SignatureCheck): 1000 int32 or
// float32 elements, or 500 float64. Every rank must be built with the same value. Chosen so that
// the whole Envelope (4032 bytes) stays under Open MPI's shared-memory eager limit: btl/vader
// sends at most 4096 bytes including its 56 bytes of headers in one eager fragment, and one byte
// more switches the check to the rendezvous protocol, which costs ~5 us at np 2 and ~13 us at
// np 4 per call (measured: tools/bench/allreduce/envelope-size.c).
constexpr size_t kFoldBytes = 4000;

// What one MPI call of the check carries: the bounds {count, -count, code, -code, aux, -aux}
// (reduced with MAX) and, for a small allreduce, the data itself.
struct Envelope {
  int bounds[6];
  int padding[2];  // keeps the payload 8-byte aligned for float64
  alignas(8) unsigned char payload[kFoldBytes];
};
static_assert(sizeof(Envelope) <= 4040, "the check's envelope must stay within Open MPI's shared-memory eager limit");

// The signature check. Ranks compare what they passed with one MPI_Iallreduce of one Envelope
// under our own MPI_Op: the bounds reduce with MAX, and max(x) == -max(-x) only when every rank
// passed the same x. The op also reduces the payload, but only while both sides agree on the
// signature, so an allreduce of at most kFoldBytes is finished by the check itself (Folds()):
// one collective per call instead of two, which is what a small call costs on a busy machine.
// A barrier is finished by it too (no rank leaves an allreduce before every rank entered it).
// Every checked collective starts with this same call (same datatype, count and op), whatever
// the collective, its type or its length, so ranks that disagree still meet in it: that is what
// makes the check safe. Only when they differ does a second step, an MPI_Iallgather of three
// ints per rank, find out who passed what, so that every rank fails with the same message:
// LENGTH_MISMATCH (lengths by rank) when only the lengths differ, SIGNATURE (one description
// per rank) otherwise. The check is always non-blocking, on every path, because MPI never
// matches a blocking collective with a non-blocking one: ranks must agree on the variant before
// they know whether they agree on anything else.
class SignatureCheck {
 public:
  SignatureCheck(const std::string& operation, const Signature& mine);
  // After MPI_Init / before MPI_Finalize: creates and frees the envelope's datatype and op.
  static bool Setup();
  static void Teardown();
  // Lets the check carry `data` (the allreduce's buffer, reduced in place) when it fits.
  void Carry(const BufferView& data);
  // True when agreement finishes the call: a carried allreduce, or a barrier.
  bool Folds() const { return folds_; }
  // Starts the first step; false (with `failure`) when MPI refuses.
  bool Start(MPI_Comm comm, MPI_Request* request, Failure* failure);
  // After the first step completed: true when all agree (a carried buffer then holds the
  // result); otherwise starts the second step.
  bool Agreed(MPI_Comm comm, MPI_Request* request, Failure* failure);
  // After the second step completed: fills `failure`.
  void Explain(Failure* failure) const;

 private:
  std::string operation_;
  int mine_[3];
  BufferView carried_;
  bool folds_ = false;
  Envelope envelope_;
  int size_ = 0;
  std::vector<int> all_;
};

// FNV-1a over per-rank counts: ranks compare a hash rather than whole arrays.
int HashCounts(const std::vector<int>& counts);

}  // namespace syncopate
