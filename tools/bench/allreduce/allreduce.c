/*
 * Reference for the allreduce benchmark: MPI_Allreduce (in place, float32, sum) called from C.
 * For each size: warm-up calls (as many as timed ones, up to 2000: Node's JIT needs them, and
 * every program gets the same), a barrier, then `iterations` timed calls; prints one JSON line
 * per size with the mean time per call, the maximum over ranks.
 * Usage: allreduce SIZE:ITERATIONS [SIZE:ITERATIONS ...]
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  int provided = 0, rank = 0, ranks = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  for (int a = 1; a < argc; ++a) {
    long size = 0, iterations = 0;
    if (sscanf(argv[a], "%ld:%ld", &size, &iterations) != 2 || size <= 0 || iterations <= 0) {
      if (rank == 0) fprintf(stderr, "allreduce: bad argument '%s' (expected SIZE:ITERATIONS)\n", argv[a]);
      MPI_Abort(MPI_COMM_WORLD, 2);
    }
    float* buffer = calloc((size_t)size, sizeof(float));
    long warmup = iterations < 100 ? 2 : (iterations < 2000 ? iterations : 2000);
    for (long i = 0; i < warmup; ++i) MPI_Allreduce(MPI_IN_PLACE, buffer, (int)size, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    for (long i = 0; i < iterations; ++i) MPI_Allreduce(MPI_IN_PLACE, buffer, (int)size, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    double mean = (MPI_Wtime() - start) / (double)iterations, slowest = 0;
    MPI_Reduce(&mean, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) printf("{\"program\":\"c\",\"np\":%d,\"size\":%ld,\"iterations\":%ld,\"seconds\":%.9g}\n", ranks, size, iterations, slowest);
    fflush(stdout);
    free(buffer);
  }
  MPI_Finalize();
  return 0;
}
