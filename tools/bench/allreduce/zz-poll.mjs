import { MpiTransport, loadMpiBinding } from '@syncopate/transport-mpi';
const binding = loadMpiBinding();
const poll = Number(process.argv[2]);
const t = new MpiTransport(binding, { checkCollectives: process.argv[3] === 'checked', pollMicros: poll });
const buf = new Float32Array(1000);
const variants = { binding: () => binding.allreduce(0, buf, 'sum', false), transport: () => t.allreduce(buf, 'sum') };
const out = [];
for (let round = 0; round < 3; round++) for (const [name, call] of Object.entries(variants)) {
  for (let i = 0; i < 2000; i++) await call();
  await t.barrier();
  let handed = 0;
  const t0 = performance.now();
  for (let i = 0; i < 20000; i++) { const p = call(); if (binding.inFlight() > 0) handed++; await p; }
  out.push(`${name}=${((performance.now() - t0) / 20000 * 1000).toFixed(1)}us/${handed}`);
}
if (t.rank === 0) console.log(`np=${t.size} poll=${poll} ${process.argv[3]}: ${out.join(' ')}`);
await t.dispose();
