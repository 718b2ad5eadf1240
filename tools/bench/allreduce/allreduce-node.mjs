// Our side of the allreduce benchmark: an in-place float32 sum, awaited call after call as a
// training loop does it. Same protocol as allreduce.c: warm-up, barrier, timed calls, one JSON
// line per size with the slowest rank's mean. VARIANT is one of
//   checked    MpiTransport with its defaults: ranks verify length and type with each call (an
//              allreduce of at most 4000 bytes travels inside that check, larger ones after it)
//   unchecked  MpiTransport with checkCollectives: false
//   binding    the addon's allreduce called directly, without the TypeScript layer or the check
// Usage: node allreduce-node.mjs VARIANT [--poll-micros=N] SIZE:ITERATIONS [SIZE:ITERATIONS ...]
import { MpiTransport, loadMpiBinding } from '@syncopate/transport-mpi';

const [variant, ...rest] = process.argv.slice(2);
const poll = rest.find((a) => a.startsWith('--poll-micros='));
const specs = rest.filter((a) => a !== poll);
const pollMicros = poll ? Number(poll.split('=')[1]) : undefined;
if (!['checked', 'unchecked', 'binding'].includes(variant)) {
  console.error(`allreduce-node: unknown variant '${variant}' (checked, unchecked or binding)`);
  process.exit(2);
}
const binding = loadMpiBinding();
const transport = new MpiTransport(binding, { timeoutMs: 600_000, checkCollectives: variant === 'checked', pollMicros });
const world = transport.info.world;
const call =
  variant === 'binding' ? (buffer) => binding.allreduce(world, buffer, 'sum', false) : (buffer) => transport.allreduce(buffer, 'sum');

for (const spec of specs) {
  const [size, iterations] = spec.split(':').map(Number);
  const buffer = new Float32Array(size);
  // Warm-up as in allreduce.c: enough calls for V8 to optimise the call path.
  const warmup = iterations < 100 ? 2 : Math.min(iterations, 2000);
  for (let i = 0; i < warmup; i++) await call(buffer);
  await transport.barrier();
  const start = transport.wtime();
  for (let i = 0; i < iterations; i++) await call(buffer);
  const slowest = new Float64Array([(transport.wtime() - start) / iterations]);
  await transport.allreduce(slowest, 'max');
  if (transport.rank === 0) {
    process.stdout.write(`${JSON.stringify({ program: `node-${variant}`, np: transport.size, size, iterations, seconds: slowest[0] })}\n`);
  }
}
await transport.dispose();
