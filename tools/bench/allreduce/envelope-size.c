/*
 * How the signature check's envelope size meets Open MPI's eager limit: the mean time of one
 * MPI_Iallreduce of a single contiguous datatype of N bytes under a user-defined op (which,
 * like the check's, only reduces six ints), polled with MPI_Test as the JS-thread fast path
 * does. Prints the slowest rank's mean per size, on rank 0.
 *   mpicc -O2 -o build/envelope-size envelope-size.c
 *   mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 build/envelope-size
 * On btl/vader (eager limit 4096 bytes including 56 bytes of headers) the time jumps between
 * 4040 and 4048 bytes: the rendezvous protocol adds a round trip.
 */
#include <mpi.h>
#include <stdio.h>

static void MaxOfSixInts(void* in, void* inout, int* len, MPI_Datatype* type) {
  const int* a = in;
  int* b = inout;
  (void)len;
  (void)type;
  for (int k = 0; k < 6; k++) b[k] = a[k] > b[k] ? a[k] : b[k];
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Op op;
  MPI_Op_create(MaxOfSixInts, 1, &op);
  static char buffer[8192];
  const int iterations = 20000;
  const int sizes[] = {64, 1024, 2048, 4000, 4032, 4040, 4048, 4096, 4128};
  for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    MPI_Datatype envelope;
    MPI_Type_contiguous(sizes[s], MPI_BYTE, &envelope);
    MPI_Type_commit(&envelope);
    double mean = 0;
    for (int round = 0; round < 2; round++) {  // the first round warms up
      MPI_Barrier(MPI_COMM_WORLD);
      double start = MPI_Wtime();
      for (int i = 0; i < iterations; i++) {
        MPI_Request request;
        int done = 0;
        MPI_Iallreduce(MPI_IN_PLACE, buffer, 1, envelope, op, MPI_COMM_WORLD, &request);
        while (!done) MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      }
      mean = (MPI_Wtime() - start) / iterations * 1e6;
      MPI_Allreduce(MPI_IN_PLACE, &mean, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    }
    if (rank == 0) printf("np %d, envelope %d bytes: %.2f us\n", size, sizes[s], mean);
    MPI_Type_free(&envelope);
  }
  MPI_Op_free(&op);
  MPI_Finalize();
  return 0;
}
