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

enum class CollectiveKind { kAllreduce = 1, kBroadcast, kAllgather, kAllgatherv, kGather, kReduceScatter, kBarrier, kSplit };
enum class ReduceOp { kSum = 0, kMax = 1, kMin = 2 };

// What one rank passed to one collective. Ranks must agree on all of it (`count` only where
// the collective needs equal lengths).
struct Signature {
  CollectiveKind kind;
  ElementType type = ElementType::kBytes;
  int op = 0;
  long long count = 0;
  int aux = 0;  // the root, or a hash of the per-rank counts
};

// The signature check. Ranks compare what they passed with one MPI_Iallreduce (MAX) of six
// ints, {count, -count, code, -code, aux, -aux}: max(x) == -max(-x) only when every rank
// passed the same x. Only when they differ does a second step, an MPI_Iallgather of three ints
// per rank, find out who passed what, so that every rank fails with the same message:
// LENGTH_MISMATCH (lengths by rank) when only the lengths differ, SIGNATURE (one description
// per rank) otherwise. The check is always non-blocking, on every path, because MPI never
// matches a blocking collective with a non-blocking one: ranks must agree on the variant before
// they know whether they agree on anything else.
class SignatureCheck {
 public:
  SignatureCheck(const std::string& operation, const Signature& mine);
  // Starts the first step; false (with `failure`) when MPI refuses.
  bool Start(MPI_Comm comm, MPI_Request* request, Failure* failure);
  // After the first step completed: true when all agree; otherwise starts the second step.
  bool Agreed(MPI_Comm comm, MPI_Request* request, Failure* failure);
  // After the second step completed: fills `failure`.
  void Explain(Failure* failure) const;

 private:
  std::string operation_;
  int mine_[3];
  int bounds_[6];
  int size_ = 0;
  std::vector<int> all_;
};

// FNV-1a over per-rank counts: ranks compare a hash rather than whole arrays.
int HashCounts(const std::vector<int>& counts);

}  // namespace syncopate
