// How the small-call fast path behaves: for a 1e3-float allreduce, the mean time per call and
// how many calls of 20 000 did not finish within the JS thread's poll budget (and were handed
// to the communicator's thread), for the raw binding and for MpiTransport. Every rank runs it:
//   mpirun --allow-run-as-root --oversubscribe --bind-to none -np 4 \
//     node tools/bench/allreduce/fast-path.mjs POLL_MICROS [checked|unchecked]
// Prints, on rank 0: binding=<µs per call>/<hand-offs> transport=… for three rounds.
import { MpiTransport, loadMpiBinding } from '@syncopate/transport-mpi';

const pollMicros = Number(process.argv[2] ?? 250);
const checked = process.argv[3] === 'checked';
const binding = loadMpiBinding();
const transport = new MpiTransport(binding, { checkCollectives: checked, pollMicros });
const buffer = new Float32Array(1000);
const variants = {
  binding: () => binding.allreduce(transport.info.world, buffer, 'sum', false),
  transport: () => transport.allreduce(buffer, 'sum'),
};
const out = [];
for (let round = 0; round < 3; round++) {
  for (const [name, call] of Object.entries(variants)) {
    for (let i = 0; i < 2000; i++) await call();
    await transport.barrier();
    let handedOff = 0;
    const start = performance.now();
    for (let i = 0; i < 20_000; i++) {
      const done = call();
      // The fast path settles the call before it returns; anything still in flight was handed off.
      if (binding.inFlight() > 0) handedOff++;
      await done;
    }
    out.push(`${name}=${(((performance.now() - start) / 20_000) * 1000).toFixed(1)}us/${handedOff}`);
  }
}
if (transport.rank === 0) console.log(`np=${transport.size} pollMicros=${pollMicros} ${checked ? 'checked' : 'unchecked'}: ${out.join(' ')}`);
await transport.dispose();
