/*
 * What one small collective before each large allreduce costs, in C: the mean time of
 * MPI_Allreduce of N floats alone, after a 6-int MPI_Iallreduce + MPI_Wait (the shape of the
 * signature check before a large call), after a 6-int MPI_Allreduce, and after MPI_Barrier.
 * Two passes over the variants; prints the slowest rank's mean on rank 0.
 *   mpicc -O2 -o build/check-then-data check-then-data.c
 *   mpirun --allow-run-as-root --oversubscribe --bind-to none -np 4 build/check-then-data 1000000 100
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const int n = argc > 1 ? atoi(argv[1]) : 1000000;
  const int iterations = argc > 2 ? atoi(argv[2]) : 100;
  float* data = calloc((size_t)n, sizeof(float));
  int bounds[6] = {0};
  const char* names[] = {"alone", "after Iallreduce(6 int) + Wait", "after Allreduce(6 int)", "after Barrier"};
  for (int pass = 0; pass < 2; pass++) {
    for (int variant = 0; variant < 4; variant++) {
      double mean = 0;
      for (int round = 0; round < 2; round++) {  // the first round warms up
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int i = 0; i < iterations; i++) {
          MPI_Request request;
          if (variant == 1) {
            MPI_Iallreduce(MPI_IN_PLACE, bounds, 6, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &request);
            MPI_Wait(&request, MPI_STATUS_IGNORE);
          } else if (variant == 2) {
            MPI_Allreduce(MPI_IN_PLACE, bounds, 6, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
          } else if (variant == 3) {
            MPI_Barrier(MPI_COMM_WORLD);
          }
          MPI_Allreduce(MPI_IN_PLACE, data, n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        }
        mean = (MPI_Wtime() - start) / iterations * 1e6;
        MPI_Allreduce(MPI_IN_PLACE, &mean, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
      }
      if (rank == 0) printf("pass %d, %d floats, %s: %.0f us\n", pass + 1, n, names[variant], mean);
    }
  }
  free(data);
  MPI_Finalize();
  return 0;
}
