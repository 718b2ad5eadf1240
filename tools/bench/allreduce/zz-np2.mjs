import { MpiTransport, loadMpiBinding } from '@syncopate/transport-mpi';
const binding = loadMpiBinding();
const t = new MpiTransport(binding, { checkCollectives: false });
const buf = new Float32Array(1000);
const variants = { binding: () => binding.allreduce(0, buf, 'sum', false), transport: () => t.allreduce(buf, 'sum') };
for (let round = 0; round < 2; round++) for (const [name, call] of Object.entries(variants)) {
  for (let i = 0; i < 2000; i++) await call();
  await t.barrier();
  let handed = 0, slow = 0, worst = 0;
  const t0 = performance.now();
  for (let i = 0; i < 20000; i++) { const a = performance.now(); const p = call(); if (binding.inFlight() > 0) handed++; await p; const d = performance.now() - a; if (d > 0.05) slow++; worst = Math.max(worst, d); }
  if (t.rank === 0) console.log(name, ((performance.now() - t0) / 20000 * 1000).toFixed(2), 'us; handed off', handed, '; >50us', slow, '; worst', worst.toFixed(2), 'ms');
}
await t.dispose();
