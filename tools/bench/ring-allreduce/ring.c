// The reference for our ring allreduce (run by run.mjs, variant "c-ring"): the same algorithm in
// C straight over MPI point-to-point, with no Node.js, no thread hand-offs and no probing. Ring
// reduce-scatter then allgather as one sequence of 2(n − 1) steps: at step s rank r sends block
// (r − s) mod n to r + 1 and receives block (r − s − 1) mod n from r − 1, adding it in during the
// first n − 1 steps. Blocks travel in segments of at most SEGMENT_BYTES; all receives of a step are
// posted before its sends, and segment j of step s is sent as soon as segment j of step s − 1 has
// arrived and been added, so steps overlap as in ours.
//
//   mpirun -np 4 ring FLOATS ITERATIONS WARMUP SEGMENT_BYTES
//
// Each iteration starts after a barrier and is timed as the slowest rank's time; every result
// is checked. Rank 0 prints `RESULT {json}` as rank.mjs does.
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

// Start of part i of `parts` near-equal parts of `total` elements.
static long Start(long total, long parts, long i) { return total * i / parts; }

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, n = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  const long floats = argc > 1 ? (long)atof(argv[1]) : 10000000;
  const int iterations = argc > 2 ? atoi(argv[2]) : 5;
  const int warmup = argc > 3 ? atoi(argv[3]) : 1;
  const long segmentBytes = argc > 4 ? atol(argv[4]) : 1 << 20;
  const long largest = Start(floats, n, 1) + (floats % n != 0);
  const long k = largest * 4 / segmentBytes + (largest * 4 % segmentBytes != 0) + (largest == 0);
  const int steps = 2 * (n - 1), next = (rank + 1) % n, prev = (rank + n - 1) % n;
  float* buffer = malloc(sizeof(float) * (floats > 0 ? floats : 1));
  float* scratch[2] = {malloc(sizeof(float) * (largest + 1)), malloc(sizeof(float) * (largest + 1))};
  MPI_Request* received[2] = {malloc(sizeof(MPI_Request) * k), malloc(sizeof(MPI_Request) * k)};
  MPI_Request* sent[2] = {malloc(sizeof(MPI_Request) * k), malloc(sizeof(MPI_Request) * k)};
  double* times = malloc(sizeof(double) * (iterations > 0 ? iterations : 1));
  const float expected = n * (n + 1) / 2.0f;

  for (int it = 0; it < warmup + iterations; it++) {
    for (long i = 0; i < floats; i++) buffer[i] = (float)(rank + 1);
    for (int p = 0; p < 2; p++)
      for (long j = 0; j < k; j++) received[p][j] = sent[p][j] = MPI_REQUEST_NULL;
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    for (int s = 0; s < steps; s++) {
      const int p = s & 1;
      const long rb = ((rank - s - 1) % n + n) % n, sb = ((rank - s) % n + n) % n;
      const long rOff = Start(floats, n, rb), rCount = Start(floats, n, rb + 1) - rOff;
      const long sOff = Start(floats, n, sb), sCount = Start(floats, n, sb + 1) - sOff;
      for (long j = 0; j < k; j++) {
        const long at = Start(rCount, k, j), count = Start(rCount, k, j + 1) - at;
        float* into = s < n - 1 ? scratch[p] + at : buffer + rOff + at;
        MPI_Irecv(into, (int)count, MPI_FLOAT, prev, s, MPI_COMM_WORLD, &received[p][j]);
      }
      MPI_Waitall((int)k, sent[p], MPI_STATUSES_IGNORE);  // the sends of step s − 2
      for (long j = 0; j < k; j++) {
        const long at = Start(sCount, k, j), count = Start(sCount, k, j + 1) - at;
        if (s > 0) {
          // Segment j of the block this step sends arrived at step s − 1: add it in first.
          MPI_Wait(&received[1 - p][j], MPI_STATUS_IGNORE);
          if (s - 1 < n - 1)
            for (long i = 0; i < count; i++) buffer[sOff + at + i] += scratch[1 - p][at + i];
        }
        MPI_Isend(buffer + sOff + at, (int)count, MPI_FLOAT, next, s, MPI_COMM_WORLD, &sent[p][j]);
      }
    }
    MPI_Waitall((int)k, received[(steps - 1) & 1], MPI_STATUSES_IGNORE);
    MPI_Waitall((int)k, sent[0], MPI_STATUSES_IGNORE);
    MPI_Waitall((int)k, sent[1], MPI_STATUSES_IGNORE);
    double elapsed = (MPI_Wtime() - start) * 1000, slowest = 0;
    MPI_Allreduce(&elapsed, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    for (long i = 0; i < floats; i += floats / 3 + 1) {
      if (buffer[i] != expected) {
        fprintf(stderr, "rank %d: c-ring gave %g at %ld, expected %g\n", rank, buffer[i], i, expected);
        MPI_Abort(MPI_COMM_WORLD, 1);
      }
    }
    if (it >= warmup) times[it - warmup] = slowest;
  }
  if (rank == 0) {
    double sorted[256];
    int m = iterations < 256 ? iterations : 256;
    for (int i = 0; i < m; i++) sorted[i] = times[i];
    for (int i = 1; i < m; i++)
      for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
        double t = sorted[j];
        sorted[j] = sorted[j - 1];
        sorted[j - 1] = t;
      }
    printf("RESULT {\"variant\":\"c-ring\",\"algorithm\":\"ring (C)\",\"floats\":%ld,\"ranks\":%d,\"segmentBytes\":%ld,\"timesMs\":[", floats, n, segmentBytes);
    for (int i = 0; i < iterations; i++) printf("%s%.3f", i ? "," : "", times[i]);
    printf("],\"medianMs\":%.3f}\n", m > 0 ? sorted[m / 2] : 0.0);
  }
  MPI_Finalize();
  return 0;
}
