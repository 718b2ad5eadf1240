// Ring allreduce run entirely on the communicator's lane: the receive → reduce → send chain of
// every segment stays in C++, with no hand-off to the JS thread between messages.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <memory>
#include <vector>

#include "buffer-view.h"
#include "checked-call.h"

namespace syncopate {

// What the ring allreduce keeps per communicator, on its lane: the private duplicate of the
// communicator (made by the first call) and the two scratch blocks, kept between calls so that a
// training loop does not allocate and fault in two blocks' worth of memory on every call.
struct RingState {
  MPI_Comm comm = MPI_COMM_NULL;
  std::vector<char> scratch[2];
};

// In-place ring allreduce (reduce-scatter, then allgather) over MPI point-to-point messages on
// `ring`, a private duplicate of the communicator (created by the first call, on the lane, so
// that its messages never meet the program's own): 2(n − 1) steps; at step s rank r sends block
// (r − s) mod n to r + 1 and receives block (r − s − 1) mod n from r − 1, combining it in during
// the first n − 1 steps. Each rank sends 2(n − 1)/n of the buffer, the bandwidth-optimal volume
// (Patarasuk & Yuan 2009; Table III of Tang et al. 2020). Blocks travel in segments of at most
// `segmentBytes`; all receives of a step are posted before its sends, and segment j of step s
// leaves as soon as segment j of step s − 1 has arrived and been combined, so steps overlap.
// Blocks and segments are cut as `@syncopate/collectives` cuts them, and each block is reduced
// once along the ring, so every rank ends with the same bits.
class RingAllreduceCall : public CheckedCall {
 public:
  RingAllreduceCall(Napi::Env env, BufferView buffer, ReduceOp op, long long segmentBytes, bool check,
                    std::shared_ptr<RingState> ring);

 protected:
  bool Move(MPI_Comm comm) override;

 private:
  BufferView buffer_;
  long long segmentBytes_;
  std::shared_ptr<RingState> ring_;  // kept by the call too: requests may point into its scratch
  std::vector<MPI_Request> received_[2];
  std::vector<MPI_Request> sent_[2];
};

}  // namespace syncopate
