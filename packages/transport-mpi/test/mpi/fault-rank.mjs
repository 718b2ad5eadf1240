// One rank of a fault scenario under mpirun (argv[2] names it). Survivors report what their
// calls failed with (see report.mjs); the test reads it.
import { setTimeout } from 'node:timers';
import { mpiTransport } from '@syncopate/transport-mpi';
import { report as write } from './report.mjs';

const scenario = process.argv[2];
const transport = await mpiTransport({ timeoutMs: 20_000, livenessIntervalMs: 100 });
const rank = transport.rank;

function report(name, started, error) {
  const result = { rank, name, ms: Math.round(performance.now() - started), code: error?.code ?? 'OK', message: error?.message ?? '' };
  write(rank, result);
}

async function attempt(name, call) {
  const started = performance.now();
  try {
    await call();
    report(name, started);
  } catch (error) {
    report(name, started, error);
  }
}

if (scenario === 'rank-dies') {
  // Rank 1 is killed while the others wait for it in an allreduce.
  await transport.barrier();
  if (rank === 1) {
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 200);
    await new Promise(() => {});
  }
  await attempt('allreduce', () => transport.allreduce(new Float32Array(1000), 'sum'));
  await attempt('barrier after', () => transport.barrier());
} else if (scenario === 'collective-deadline') {
  // Rank 1 never enters the barrier; the others give up after 300 ms.
  if (rank !== 1) await attempt('barrier', () => transport.barrier({ timeoutMs: 300 }));
  else await new Promise((resolve) => setTimeout(resolve, 5000));
} else if (scenario === 'mismatch') {
  // Different lengths, then different collectives: typed errors on every rank, and the
  // transport goes on working.
  await attempt('lengths', () => transport.allreduce(new Float64Array(rank === 2 ? 7 : 5), 'max'));
  await attempt('kinds', () => (rank === 0 ? transport.broadcast(new Uint8Array(8), 0) : transport.allreduce(new Int32Array(2), 'sum')));
  await attempt('roots', () => transport.broadcast(new Uint8Array(8), rank === 0 ? 1 : 0));
  // The check carries allreduces of at most 4000 bytes itself: one rank over that size, ranks with
  // the same length but another element type, and two lengths far above it.
  await attempt('carried and not', () => transport.allreduce(new Float32Array(rank === 1 ? 1001 : 1000), 'sum'));
  await attempt('types', () => transport.allreduce(rank === 0 ? new Int32Array(4) : new Float32Array(4), 'sum'));
  await attempt('large lengths', () => transport.allreduce(new Float32Array(rank === 0 ? 100_001 : 100_000), 'sum'));
  await attempt('ring lengths', () => transport.ringAllreduce(new Float32Array(rank === 1 ? 10 : 12), 'sum', 1024));
  await attempt('ring segments', () => transport.ringAllreduce(new Float32Array(12), 'sum', rank === 2 ? 8 : 1024));
  const after = new Int32Array([1]);
  await attempt('after', async () => {
    await transport.allreduce(after, 'sum');
    if (after[0] !== transport.size) throw new Error(`allreduce after the failures gave ${after[0]}`);
    // The largest allreduce the check carries, with values that tell the ranks apart.
    const carried = Float32Array.from({ length: 1000 }, (_, i) => i * (rank + 1));
    await transport.allreduce(carried, 'max');
    const wrong = carried.findIndex((v, i) => v !== i * transport.size);
    if (wrong >= 0) throw new Error(`carried allreduce gave ${carried[wrong]} at ${wrong}`);
  });
}
await transport.dispose();
