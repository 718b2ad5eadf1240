/**
 * The contract every collective passes, as named cases any test runner can run. It needs real
 * ranks: pass a function that makes `size` connected transports (this package depends on core
 * alone, so it does not pick one):
 *
 * ```ts
 * import { simulatedNetwork } from '@syncopate/transport-local';
 * const transports = (size: number) => simulatedNetwork({ ranks: size }).transports;
 * for (const c of collectiveContract(ringAllreduce, { transports })) it(c.name, c.run);
 * ```
 *
 * On each size it checks the defining results, on every rank: `allreduce` within the float32
 * rounding bound of the exact sum (small integers exact) and the same bits on every rank; `max`
 * exact; `allgather` of payloads of different lengths in rank order; `broadcast` from every root;
 * calls issued back to back without awaiting still pair up correctly (the queue keeps call order);
 * `neighbourAverage` (when supported) equal to the topology's weighted mix; and an inert spec whose
 * declared capabilities match `supports`.
 */
import { Capabilities, Collective, Topology, Transport, createRng, type CollectiveOp, type PluginSpec } from '@syncopate/core';
import { check } from './compressor-contract-assert.js';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';
import { checkOptionValidation, checkSpecShape, type ContractCase, type InvalidOption } from './plugin-contract-common.js';
import { contractRing } from './policy-contract-run.js';
import { withRanks } from './transport/with-ranks.js';

/** Options of {@link collectiveContract}. */
export interface CollectiveContractOptions<O> {
  /** `size` connected transports, one per rank (e.g. `simulatedNetwork({ ranks: size }).transports`). */
  readonly transports: (size: number) => readonly Transport[] | Promise<readonly Transport[]>;
  /** The options the collective under test is built with. Default: none. */
  readonly options?: O;
  /** Options the factory must refuse with an `OptionError` naming `option`. */
  readonly invalidOptions?: readonly InvalidOption[];
  /** Rank counts. Default [1, 2, 3, 5]. */
  readonly sizes?: readonly number[];
  /** Services its factory resolves besides `Transport` and `Topology` (the contract's ring). */
  readonly services?: (transport: Transport) => readonly CompressorContractService[];
}

const U = 2 ** -24;
const LENGTHS = [0, 1, 7, 1000];
const CAPABILITY_OPS: readonly (readonly [string, CollectiveOp, keyof Collective])[] = [
  [Capabilities.allreduce, 'allreduce', 'allreduce'],
  [Capabilities.allgather, 'allgather', 'allgather'],
  [Capabilities.neighbourAverage, 'neighbour-average', 'neighbourAverage'],
  [Capabilities.pushSum, 'push-sum', 'pushSum'],
  [Capabilities.vote, 'vote', 'vote'],
];

/** Seeded input of `rank`: floats in [−1, 1), or integers in [−50, 50]. */
function input(rank: number, length: number, integers: boolean): Float32Array {
  const rng = createRng({ seed: 17, rank, step: length, stream: integers ? 'collective-contract/int' : 'collective-contract/float' });
  return Float32Array.from({ length }, () => (integers ? rng.nextInt(101) - 50 : 2 * rng.nextFloat() - 1));
}

/** The contract cases of the collective made by `factory(options.options)`. */
export function collectiveContract<O>(factory: (options: O) => PluginSpec, options: CollectiveContractOptions<O>): ContractCase[] {
  const spec = factory(options.options as O);
  const sizes = options.sizes ?? [1, 2, 3, 5];
  const make = (transport: Transport): Collective =>
    instantiate(spec, Collective, [[Transport, transport], [Topology, contractRing(transport.size)], ...(options.services?.(transport) ?? [])]);
  /** Run `body` with a fresh collective on every rank of a fresh group of `size` transports. */
  const onRanks = <T>(size: number, body: (collective: Collective, rank: number) => Promise<T>) =>
    withRanks(options.transports(size), (transport, rank) => body(make(transport), rank));
  const cases: ContractCase[] = [];
  const add = (name: string, run: () => void | Promise<void>) => cases.push({ name, run });

  add('is an inert, frozen collective spec whose capabilities match what it supports', async () => {
    checkSpecShape(spec, 'collective', Collective);
    const provides = new Set(spec.provides ?? []);
    await onRanks(1, async (collective) => {
      check(collective.name === spec.name, `the collective's name '${collective.name}' differs from its spec's name '${spec.name}'`);
      for (const op of ['allreduce', 'max', 'allgather', 'broadcast'] as const) check(collective.supports.has(op), `supports lacks '${op}', which every collective implements`);
      for (const [capability, op, method] of CAPABILITY_OPS) {
        if (!provides.has(capability)) continue;
        check(collective.supports.has(op), `the spec provides ${capability} but supports lacks '${op}'`);
        check(typeof collective[method] === 'function', `the spec provides ${capability} but ${String(method)} is not implemented`);
      }
    });
  });

  add('validates its options at once, with an OptionError naming the option', () => {
    checkOptionValidation(factory, options.options, options.invalidOptions);
  });

  for (const size of sizes) {
    add(`allreduce on ${size} rank(s): the exact sum within float32 rounding, the same bits on every rank`, async () => {
      const results = await onRanks(size, async (collective, rank) => {
        const out: Float32Array[] = [];
        for (const integers of [false, true]) {
          for (const length of LENGTHS) {
            const buffer = input(rank, length, integers);
            await collective.allreduce(buffer);
            out.push(buffer);
          }
        }
        return out;
      });
      let k = 0;
      for (const integers of [false, true]) {
        for (const length of LENGTHS) {
          const inputs = Array.from({ length: size }, (_, r) => input(r, length, integers));
          for (let i = 0; i < length; i++) {
            let exact = 0;
            let magnitude = 0;
            for (const x of inputs) {
              exact += x[i]!;
              magnitude += Math.abs(x[i]!);
            }
            const tolerance = integers ? 0 : (size - 1) * U * magnitude + U * Math.abs(exact);
            const got = results[0]![k]![i]!;
            check(Math.abs(got - exact) <= tolerance, `length ${length}${integers ? ' (integers)' : ''}, element ${i}: got ${got}, exact sum ${exact}, tolerance ${tolerance}`);
            for (let r = 1; r < size; r++) check(Object.is(results[r]![k]![i], got), `length ${length}, element ${i}: rank ${r} holds ${results[r]![k]![i]}, rank 0 ${got}`);
          }
          k++;
        }
      }
    });

    add(`max, allgather and broadcast on ${size} rank(s)`, async () => {
      await onRanks(size, async (collective, rank) => {
        const values = input(rank, 33, false);
        await collective.max(values);
        const expected = Array.from({ length: 33 }, (_, i) => Math.max(...Array.from({ length: size }, (_, r) => input(r, 33, false)[i]!)));
        values.forEach((v, i) => check(v === expected[i], `rank ${rank}: max element ${i} is ${v}, expected ${expected[i]}`));
        const mine = Uint8Array.from({ length: (rank * 5) % 7 }, (_, i) => rank * 16 + i);
        const gathered = await collective.allgather(mine);
        check(gathered.length === size, `rank ${rank}: allgather returned ${gathered.length} payloads for ${size} ranks`);
        gathered.forEach((bytes, r) => check(bytes.length === (r * 5) % 7 && bytes.every((b, i) => b === r * 16 + i), `rank ${rank}: allgather payload ${r} is not rank ${r}'s bytes`));
        for (let root = 0; root < size; root++) {
          const floats = rank === root ? input(root, 10, false) : new Float32Array(10);
          const bytes = rank === root ? Uint8Array.from({ length: 5 }, (_, i) => root + i) : new Uint8Array(5);
          await collective.broadcast(floats, root);
          await collective.broadcast(bytes, root);
          const sent = input(root, 10, false);
          floats.forEach((v, i) => check(Object.is(v, sent[i]), `rank ${rank}: broadcast from ${root}, element ${i} is ${v}, expected ${sent[i]}`));
          bytes.forEach((v, i) => check(v === root + i, `rank ${rank}: byte broadcast from ${root}, byte ${i} is ${v}`));
        }
      });
    });

    add(`pairs up calls issued back to back without awaiting, on ${size} rank(s)`, async () => {
      await onRanks(size, async (collective, rank) => {
        const a = Float32Array.of(rank, 1);
        const c = new Float32Array(100).fill(rank + 1);
        const calls = [collective.allreduce(a), collective.allgather(Uint8Array.of(rank)), collective.allreduce(c)] as const;
        const [, gathered] = await Promise.all(calls);
        const sum = (size * (size - 1)) / 2;
        check(a[0] === sum && a[1] === size, `rank ${rank}: first allreduce gave [${a[0]}, ${a[1]}], expected [${sum}, ${size}]`);
        check(gathered.map((g) => g[0]).join() === [...Array(size).keys()].join(), `rank ${rank}: allgather between them gave ${gathered.map((g) => g[0]).join()}`);
        check(c.every((v) => v === sum + size), `rank ${rank}: second allreduce gave ${c[0]}, expected ${sum + size}`);
      });
    });

    add(`neighbourAverage, when supported, mixes with the topology's weights on ${size} rank(s)`, async () => {
      const ring = contractRing(size);
      await onRanks(size, async (collective, rank) => {
        if (!collective.supports.has('neighbour-average')) return;
        const buffer = input(rank, 20, false);
        await collective.neighbourAverage!(buffer, 0);
        const hood = ring.neighbourhood(rank, 0);
        const own = input(rank, 20, false);
        buffer.forEach((v, i) => {
          const expected = hood.self * own[i]! + hood.receive.reduce((s, e) => s + e.weight * input(e.peer, 20, false)[i]!, 0);
          check(Math.abs(v - expected) <= 1e-6, `rank ${rank}: element ${i} is ${v}, expected ${expected}`);
        });
      });
    });
  }

  return cases;
}
