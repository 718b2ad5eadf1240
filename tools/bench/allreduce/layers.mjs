// What each layer adds to one allreduce, measured inside one launch so that the VM's slow spells
// (docs/benchmarks.md) hit every variant alike: for each size, blocks of calls (12 per variant,
// each variant in each place of the order equally often) alternate between
//   binding            the addon's allreduce, no signature check
//   binding+check      the addon's allreduce with the check (one more small collective before
//                      the data, or the data inside it up to 4000 bytes)
//   transport          MpiTransport.allreduce with its defaults (the check on)
// and the median block mean of the slowest rank is printed per variant, with the differences.
// Run it under mpirun on every rank:
//   mpirun --allow-run-as-root --oversubscribe --bind-to none -np 4 \
//     node tools/bench/allreduce/layers.mjs 1e3:2000 1e6:50 1e7:5
import { MpiTransport, loadMpiBinding } from '@syncopate/transport-mpi';

const binding = loadMpiBinding();
const transport = new MpiTransport(binding, { timeoutMs: 600_000 });
const world = transport.info.world;
const BLOCKS = 12; // a multiple of 6: every order of the 3 variants' rotations, both ways
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const spec of process.argv.slice(2)) {
  const [size, iterations] = spec.split(':').map(Number);
  const buffer = new Float32Array(size);
  const variants = {
    binding: () => binding.allreduce(world, buffer, 'sum', false),
    'binding+check': () => binding.allreduce(world, buffer, 'sum', true),
    transport: () => transport.allreduce(buffer, 'sum'),
  };
  for (const call of Object.values(variants)) for (let i = 0; i < Math.min(iterations, 200); i++) await call();
  const means = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  const names = Object.keys(variants);
  for (let block = 0; block < BLOCKS; block++) {
    // Every variant in every place of the block order equally often: on this VM a block's place
    // in the order changes its time (docs/benchmarks.md).
    const order = names.map((_, i) => names[(i + block) % names.length]);
    if (block % 2 === 1) order.reverse();
    for (const name of order) {
      const call = variants[name];
      await transport.barrier();
      const start = transport.wtime();
      for (let i = 0; i < iterations; i++) await call();
      const slowest = new Float64Array([(transport.wtime() - start) / iterations]);
      await transport.allreduce(slowest, 'max');
      means[name].push(slowest[0] * 1e6);
    }
  }
  const m = Object.fromEntries(Object.entries(means).map(([name, xs]) => [name, median(xs)]));
  if (transport.rank === 0) {
    const us = (x) => `${x.toFixed(1)} µs`;
    console.log(
      `np ${transport.size}, ${size} floats: binding ${us(m.binding)}, binding+check ${us(m['binding+check'])}, transport ${us(m.transport)}` +
        ` — check ${us(m['binding+check'] - m.binding)}, TypeScript layer ${us(m.transport - m['binding+check'])}`,
    );
  }
}
await transport.dispose();
