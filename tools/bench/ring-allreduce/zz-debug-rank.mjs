import { performance } from 'node:perf_hooks';
import { evenBlocks } from '@syncopate/collectives';
import { mpiTransport } from '@syncopate/transport-mpi';
const floats = Number(process.argv[2] ?? 1e7);
const t = await mpiTransport({ timeoutMs: 600000 });
const n = t.size, r = t.rank;
const buf = new Float32Array(floats).fill(r + 1);
const blocks = evenBlocks(floats, n);
const scratch = new Float32Array(blocks[0].count);
const next = (r + 1) % n, prev = (r + n - 1) % n;
const log = [];
for (let iter = 0; iter < 3; iter++) {
  await t.barrier();
  const t0 = performance.now();
  for (let s = 0; s < n - 1; s++) {
    const out = blocks[(r - s - 1 + 2 * n) % n], inc = blocks[(r - s - 2 + 2 * n) % n];
    const a = performance.now();
    await Promise.all([t.send(next, 32000, buf.subarray(out.offset, out.offset + out.count)), t.recvInto(prev, 32000, scratch.subarray(0, inc.count))]);
    const b = performance.now();
    const v = buf.subarray(inc.offset, inc.offset + inc.count);
    for (let i = 0; i < v.length; i++) v[i] += scratch[i];
    const c = performance.now();
    log.push(`rs${s}: xfer ${(b - a).toFixed(1)} reduce ${(c - b).toFixed(1)}`);
  }
  for (let s = 0; s < n - 1; s++) {
    const out = blocks[(r - s + n) % n], inc = blocks[(r - s - 1 + 2 * n) % n];
    const a = performance.now();
    await Promise.all([t.send(next, 32001, buf.subarray(out.offset, out.offset + out.count)), t.recvInto(prev, 32001, buf.subarray(inc.offset, inc.offset + inc.count))]);
    log.push(`ag${s}: xfer ${(performance.now() - a).toFixed(1)}`);
  }
  log.push(`total ${(performance.now() - t0).toFixed(1)}`);
}
if (r === 0) console.log(log.join('\n'));
await t.dispose();
