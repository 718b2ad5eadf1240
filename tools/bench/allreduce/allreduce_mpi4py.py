"""Reference for the allreduce benchmark: comm.Allreduce(MPI.IN_PLACE, float32 buffer) from
mpi4py (Debian's python3-mpi4py; run with /usr/bin/python3). Same protocol as allreduce.c:
warm-up, barrier, timed calls, one JSON line per size with the slowest rank's mean.
Usage: allreduce_mpi4py.py SIZE:ITERATIONS [SIZE:ITERATIONS ...]"""
import json
import sys

import mpi4py

mpi4py.rc.thread_level = "multiple"
from mpi4py import MPI  # noqa: E402
import numpy  # noqa: E402

comm = MPI.COMM_WORLD
for spec in sys.argv[1:]:
    size, iterations = (int(x) for x in spec.split(":"))
    buffer = numpy.zeros(size, dtype=numpy.float32)
    warmup = 2 if iterations < 100 else min(iterations, 2000)
    for _ in range(warmup):
        comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)
    comm.Barrier()
    start = MPI.Wtime()
    for _ in range(iterations):
        comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)
    mean = (MPI.Wtime() - start) / iterations
    slowest = comm.reduce(mean, op=MPI.MAX, root=0)
    if comm.rank == 0:
        print(json.dumps({"program": "mpi4py", "np": comm.size, "size": size, "iterations": iterations, "seconds": slowest}), flush=True)
