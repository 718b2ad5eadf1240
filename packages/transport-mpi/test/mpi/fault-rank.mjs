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
  const after = new Int32Array([1]);
  await attempt('after', async () => {
    await transport.allreduce(after, 'sum');
    if (after[0] !== transport.size) throw new Error(`allreduce after the failures gave ${after[0]}`);
  });
}
await transport.dispose();
