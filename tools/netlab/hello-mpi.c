/*
 * netlab's MPI probe: every rank reports its host name and network namespace, passes a token
 * around the ring (point-to-point) and checks an allreduce (collective). Exits non-zero if a
 * result is wrong, so a lab that launches ranks but cannot carry their traffic fails loudly.
 * Build: mpicc -O2 -o hello-mpi hello-mpi.c
 */
#include <mpi.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int rank, size;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  char host[256] = "?", netns[64] = "?";
  gethostname(host, sizeof host - 1);
  ssize_t n = readlink("/proc/self/ns/net", netns, sizeof netns - 1);
  netns[n > 0 ? n : 0] = '\0';

  /* Ring: rank r sends r to r+1 and must receive r-1 from its left neighbour. */
  int left = (rank + size - 1) % size, right = (rank + 1) % size, got = -1;
  MPI_Sendrecv(&rank, 1, MPI_INT, right, 0, &got, 1, MPI_INT, left, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);

  /* Allreduce: the sum of 1..size. */
  long long mine = rank + 1, sum = 0, expected = (long long)size * (size + 1) / 2;
  MPI_Allreduce(&mine, &sum, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);

  int ok = got == left && sum == expected;
  printf("hello rank %d of %d host %s netns %s ring %s allreduce %lld/%lld %s\n", rank, size, host, netns,
         got == left ? "ok" : "WRONG", sum, expected, ok ? "ok" : "FAILED");
  fflush(stdout);
  MPI_Finalize();
  return ok ? 0 : 1;
}
