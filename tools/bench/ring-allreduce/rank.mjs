// One MPI rank of the ring-allreduce benchmark (run by run.mjs under mpirun, one rank per
// network namespace). Times, for each variant, `iterations` allreduces of `floats` float32
// values after `warmup` untimed ones; each iteration starts after a barrier and its time is the
// slowest rank's. Rank 0 prints one line `RESULT {json}` per variant. Variants:
//   ring      the `ring` algorithm of @syncopate/collectives, which on MPI runs inside the
//             transport (`collectives.ringAllreduce`: the C++ ring on the communicator's thread)
//   ring-p2p  the same ring in JavaScript over the transport's point-to-point messages
//             (`algorithms.ringAllreduce`), what other transports run
//   native    Open MPI's MPI_Allreduce through the transport
//
//   node rank.mjs [floats=1e7] [iterations=5] [warmup=1] [variants=ring,ring-p2p,native]
//
// RING_SEGMENT_BYTES and RING_DEPTH (environment) override the ring's message size and pipeline
// depth (see RingTuning in @syncopate/collectives).
// Needs the built packages: npx nx run-many -t build (collectives, transport-mpi with its addon).
import { performance } from 'node:perf_hooks';
import { DEFAULT_LINK, TransportCollective, algorithms } from '@syncopate/collectives';
import { mpiTransport } from '@syncopate/transport-mpi';

const floats = Math.round(Number(process.argv[2] ?? 1e7));
const iterations = Number(process.argv[3] ?? 5);
const warmup = Number(process.argv[4] ?? 1);
const variants = (process.argv[5] ?? 'ring,ring-p2p,native').split(',');

const ring = {
  ...(process.env.RING_SEGMENT_BYTES ? { segmentBytes: Number(process.env.RING_SEGMENT_BYTES) } : {}),
  ...(process.env.RING_DEPTH ? { depth: Number(process.env.RING_DEPTH) } : {}),
};
const transport = await mpiTransport({ timeoutMs: 600_000 });
const { rank, size } = transport;
const expected = (size * (size + 1)) / 2;

async function slowest(ms) {
  const cell = new Float64Array([ms]);
  await transport.collectives.allreduce(cell, 'max');
  return cell[0];
}

try {
  for (const variant of variants) {
    const choice = variant === 'native' ? 'native' : 'ring';
    const collective = new TransportCollective(transport, { name: `bench-${variant}`, choice, link: DEFAULT_LINK, preferNative: true, ring });
    const run = variant === 'ring-p2p' ? (b) => algorithms.ringAllreduce(transport, b, 'sum', undefined, ring) : (b) => collective.allreduce(b);
    const buffer = new Float32Array(floats);
    const times = [];
    let cpuMs = 0;
    for (let i = 0; i < warmup + iterations; i++) {
      buffer.fill(rank + 1);
      await transport.barrier();
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await run(buffer);
      const elapsed = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      if (i >= warmup) cpuMs += (cpu.user + cpu.system) / 1000 / iterations;
      const worst = await slowest(elapsed);
      for (const index of [0, floats >> 1, floats - 1]) {
        if (floats > 0 && buffer[index] !== expected) throw new Error(`rank ${rank}: ${variant} gave ${buffer[index]} at ${index}, expected ${expected}`);
      }
      if (i >= warmup) times.push(worst);
    }
    if (rank === 0) {
      const sorted = [...times].sort((a, b) => a - b);
      const medianMs = sorted[Math.floor(sorted.length / 2)];
      console.log(`RESULT ${JSON.stringify({ variant, algorithm: variant === 'ring-p2p' ? 'ring (point-to-point)' : collective.algorithmFor(floats * 4), ring, floats, ranks: size, timesMs: times, medianMs, rank0CpuMsPerCall: cpuMs })}`);
    }
  }
} finally {
  await transport.dispose();
}
