import { MpiTransport, loadMpiBinding } from '@syncopate/transport-mpi';
const binding = loadMpiBinding();
const t = new MpiTransport(binding, { checkCollectives: false });
const buf = new Float32Array(1000);
const res = {};
for (let r = 0; r < 5; r++) for (const [name, call] of [['binding', () => binding.allreduce(0, buf, 'sum', false)], ['transport', () => t.allreduce(buf, 'sum')]]) {
  const t0 = performance.now(); for (let i = 0; i < 50000; i++) await call(); const us = (performance.now() - t0) / 50000 * 1000;
  res[name] = Math.min(res[name] ?? Infinity, us);
}
console.log(JSON.stringify(res));
await t.dispose();
