import { MpiTransport, loadMpiBinding } from '@syncopate/transport-mpi';
const binding = loadMpiBinding();
const t = new MpiTransport(binding, { checkCollectives: false, pollMicros: Number(process.argv[2] ?? 50) });
const buf = new Float32Array(1000);
for (const [name, call] of [['binding', () => binding.allreduce(0, buf, 'sum', false)], ['transport', () => t.allreduce(buf, 'sum')], ['binding', () => binding.allreduce(0, buf, 'sum', false)], ['transport', () => t.allreduce(buf, 'sum')]]) {
  for (let i = 0; i < 2000; i++) await call();
  await t.barrier();
  let handed = 0;
  const t0 = performance.now(); for (let i = 0; i < 20000; i++) { const p = call(); if (binding.inFlight() > 0) handed++; await p; }
  if (t.rank === 0) console.log(name, ((performance.now() - t0) / 20000 * 1000).toFixed(2), 'us', 'handed off', handed);
}
await t.dispose();
