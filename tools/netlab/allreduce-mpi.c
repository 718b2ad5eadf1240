/*
 * Baseline for allreduce benchmarks under netlab: Open MPI's own MPI_Allreduce (sum of floats,
 * in place) for each size given on the command line. Prints one line per size with the mean
 * time per call, taken as the slowest rank's (what a synchronous training step waits for), and
 * the algorithm bandwidth (bytes / time). Checks the sum so a broken lab cannot pass for fast.
 * Build: mpicc -O2 -o allreduce-mpi allreduce-mpi.c
 * Run:   netlab.sh mpirun -np 4 -- ./allreduce-mpi 1000 100000 1000000
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int rank, size, failed = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (int a = 1; a < argc; a++) {
    long n = strtol(argv[a], NULL, 10);
    if (n <= 0) continue;
    float *buf = malloc(sizeof(float) * n);
    /* Fewer iterations for bigger buffers: roughly 8e6 floats moved per size, at least 3 calls. */
    int iters = n >= 2666666 ? 3 : (int)(8000000 / n);
    if (iters > 200) iters = 200;
    for (long i = 0; i < n; i++) buf[i] = 1.0f;
    MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD); /* warm-up */
    failed |= buf[n - 1] != (float)size;
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    for (int k = 0; k < iters; k++) MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_FLOAT, MPI_MAX, MPI_COMM_WORLD);
    double mine = (MPI_Wtime() - t0) / iters, slowest = 0;
    MPI_Reduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) {
      printf("allreduce np=%d floats=%ld iters=%d ms=%.3f algbw_MBps=%.1f\n", size, n, iters, slowest * 1e3,
             n * sizeof(float) / slowest / 1e6);
      fflush(stdout);
    }
    free(buf);
  }
  int any = 0;
  MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
  if (rank == 0 && any) fprintf(stderr, "allreduce-mpi: WRONG SUM\n");
  MPI_Finalize();
  return any;
}
