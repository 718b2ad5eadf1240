"""Open MPI's own MPI_Allreduce, called from C through mpi4py: the reference the ring allreduce
benchmark compares against, free of any Node.js overhead.

Run one process per rank (under mpirun); prints one line `RESULT {json}` on rank 0 with the
median over iterations of the slowest rank's time, in ms. Use Debian's /usr/bin/python3.
"""
import json
import statistics
import sys
import time

import numpy as np
from mpi4py import MPI


def main() -> None:
    floats = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000_000
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    buffer = np.empty(floats, dtype=np.float32)
    times = []
    for i in range(warmup + iterations):
        buffer.fill(rank + 1)
        comm.Barrier()
        start = time.perf_counter()
        comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)
        elapsed = (time.perf_counter() - start) * 1000
        slowest = comm.allreduce(elapsed, op=MPI.MAX)
        expected = size * (size + 1) / 2
        if not (buffer[0] == expected and buffer[-1] == expected and buffer[floats // 2] == expected):
            raise SystemExit(f"rank {rank}: wrong sum {buffer[0]} (expected {expected})")
        if i >= warmup:
            times.append(slowest)
    if rank == 0:
        print("RESULT " + json.dumps({"variant": "mpi4py", "floats": floats, "ranks": size, "timesMs": times, "medianMs": statistics.median(times)}), flush=True)


if __name__ == "__main__":
    main()
