// One MPI rank of the α-β calibration probe (run by validate.mjs under netlab's mpirun, one rank
// per namespace): the allreduce the seed reproductions use (`nativeCollective`: the transport's
// own, i.e. Open MPI's MPI_Allreduce through @syncopate/transport-mpi), timed over message sizes. Each call starts after a barrier; its time is the slowest rank's. Per size,
// `ms` is the fastest of `iterations` calls after one warm-up (the least disturbed by other jobs
// on the machine: noise only ever adds time) and `medianMs` the median. Rank 0 prints
// `RESULT {json}`.
//
//   node probe-rank.mjs BYTES,BYTES,… [iterations=11]
import { performance } from 'node:perf_hooks';
import { DEFAULT_LINK, TransportCollective } from '@syncopate/collectives';
import { mpiTransport } from '@syncopate/transport-mpi';

const sizes = (process.argv[2] ?? '4096,65536,262144,814120,2000000').split(',').map(Number);
const iterations = Number(process.argv[3] ?? 11);
const transport = await mpiTransport({ timeoutMs: 300_000 });
const { rank, size } = transport;

async function slowest(ms) {
  const cell = new Float64Array([ms]);
  await transport.collectives.allreduce(cell, 'max');
  return cell[0];
}

try {
  const collective = new TransportCollective(transport, { name: 'scale-probe', choice: 'native', link: DEFAULT_LINK, preferNative: true });
  const samples = [];
  for (const bytes of sizes) {
    const buffer = new Float32Array(Math.round(bytes / 4));
    const times = [];
    for (let i = 0; i <= iterations; i++) {
      buffer.fill(1);
      await transport.barrier();
      const start = performance.now();
      await collective.allreduce(buffer);
      const worst = await slowest(performance.now() - start);
      if (buffer.length > 0 && buffer[buffer.length - 1] !== size) throw new Error(`rank ${rank}: allreduce gave ${buffer[buffer.length - 1]}, expected ${size}`);
      if (i > 0) times.push(worst);
    }
    times.sort((a, b) => a - b);
    samples.push({ bytes: buffer.length * 4, ms: times[0], medianMs: times[Math.floor(times.length / 2)], timesMs: times });
  }
  if (rank === 0) console.log(`RESULT ${JSON.stringify({ ranks: size, algorithm: collective.algorithmFor(sizes[0]), samples })}`);
} finally {
  await transport.dispose();
}
