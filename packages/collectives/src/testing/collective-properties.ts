import { createRng, type Topology, type Transport } from '@syncopate/core';
import { toDense, type SparseVector } from '../algorithms/sparse-vector.js';
import type { AllreduceChoice } from '../allreduce-dispatch.js';
import { DEFAULT_LINK } from '../cost-model.js';
import { TransportCollective } from '../transport-collective.js';
import { check, sameBits } from './check.js';
import { matrixTopology, randomColumnStochastic, randomDoublyStochastic, type DenseMatrix } from './matrix-topology.js';

/**
 * The defining properties of every collective, written per rank so that the same suite runs on
 * simulated ranks in one process and on real MPI ranks (one process each): every input is a pure
 * function of (seed, rank), so each rank can compute what all ranks hold and check its own result.
 *
 * Float tolerance: inputs are float32 and the exact sum is computed in float64. Any order of the
 * n − 1 float32 additions is within (n − 1)·u·Σ|x| of it, u = 2⁻²⁴ (the bound on recursive
 * summation; Higham, "Accuracy and Stability of Numerical Algorithms", §4.2), plus u·|sum| for the
 * final rounding. Small-integer inputs must come out exact.
 */
export interface CollectiveProperty {
  readonly name: string;
  /** Runs on every rank; rejects with a `PropertyViolation` naming the rank and the difference. */
  run(transport: Transport, seed: number): Promise<void>;
}

const U = 2 ** -24;

function make(transport: Transport, choice: AllreduceChoice, extra: Partial<ConstructorParameters<typeof TransportCollective>[1]> = {}): TransportCollective {
  return new TransportCollective(transport, { name: `property-${choice}`, choice, link: DEFAULT_LINK, preferNative: false, ...extra });
}

/** Rank `rank`'s input: seeded floats in [−1, 1) or integers in [−50, 50]. */
export function seededInput(seed: number, rank: number, length: number, integers: boolean): Float32Array {
  const rng = createRng({ seed, rank, step: length, stream: integers ? 'property-integers' : 'property-floats' });
  return Float32Array.from({ length }, () => (integers ? rng.nextInt(101) - 50 : rng.nextFloat() * 2 - 1));
}

/** Lengths every allreduce is checked on: 0, 1, around n, non-divisible, and two random ones. */
export function propertyLengths(size: number, seed: number): number[] {
  const rng = createRng({ seed, rank: 0, step: size, stream: 'property-lengths' });
  return [0, 1, size - 1, size + 1, 7 * size + 3, 1 + rng.nextInt(300), 1 + rng.nextInt(3000)];
}

/** Every rank's copy of `value`, to check that ranks agree bit for bit. */
async function agreeAcrossRanks(transport: Transport, value: ArrayBufferView, what: string): Promise<void> {
  const gathered = await make(transport, 'ring', { preferNative: false }).allgather(new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice());
  gathered.forEach((bytes, rank) => check(sameBits(bytes, value), () => `${what}: rank ${transport.rank} and rank ${rank} hold different bits`));
}

function checkSum(transport: Transport, what: string, got: Float32Array, inputs: readonly Float32Array[], integers: boolean): void {
  const n = inputs.length;
  for (let i = 0; i < got.length; i++) {
    let exact = 0;
    let magnitude = 0;
    for (const x of inputs) {
      exact += x[i]!;
      magnitude += Math.abs(x[i]!);
    }
    const tolerance = integers ? 0 : (n - 1) * U * magnitude + U * Math.abs(exact);
    check(Math.abs(got[i]! - exact) <= tolerance, () => `${what}: rank ${transport.rank}, element ${i}: got ${got[i]}, exact sum ${exact}, tolerance ${tolerance}`);
  }
}

/** Groupings for hierarchical allreduce: pairs of consecutive ranks, and ranks by residue mod 3. */
export function testGroupings(size: number): number[][][] {
  const all = Array.from({ length: size }, (_, r) => r);
  return [
    Array.from({ length: Math.ceil(size / 2) }, (_, g) => [2 * g, 2 * g + 1].filter((r) => r < size)),
    [all.filter((r) => r % 3 === 0), all.filter((r) => r % 3 !== 0)].filter((g) => g.length > 0),
  ];
}

function allreduceProperty(choice: AllreduceChoice, grouping?: number): CollectiveProperty {
  const label = grouping === undefined ? choice : `${choice} (grouping ${grouping})`;
  return {
    name: `allreduce ${label} equals the exact sum, the same bits on every rank`,
    async run(transport, seed) {
      const n = transport.size;
      const groups = grouping === undefined ? undefined : testGroupings(n)[grouping];
      const c = make(transport, choice, groups ? { groups } : {});
      for (const length of propertyLengths(n, seed)) {
        for (const integers of [true, false]) {
          const inputs = Array.from({ length: n }, (_, r) => seededInput(seed, r, length, integers));
          const buffer = Float32Array.from(inputs[transport.rank]!);
          await c.allreduce(buffer);
          checkSum(transport, `allreduce ${label}, length ${length}`, buffer, inputs, integers);
          await agreeAcrossRanks(transport, buffer, `allreduce ${label}, length ${length}`);
        }
      }
    },
  };
}

const segmentedRingProperty: CollectiveProperty = {
  name: 'ring allreduce of blocks cut into pipelined segments equals the exact sum (depth 1…4)',
  async run(transport, seed) {
    const n = transport.size;
    // 4 KiB segments; 5.5 segments per block plus a remainder, so segments and blocks are uneven.
    const segmentBytes = 4096;
    const length = Math.ceil((5.5 * n * segmentBytes) / 4) + 3;
    const value = (rank: number, i: number) => ((i * 7 + rank * 13 + seed) % 101) - 50;
    for (const depth of [1, 2, 3, 4]) {
      const buffer = Float32Array.from({ length }, (_, i) => value(transport.rank, i));
      await make(transport, 'ring', { ring: { segmentBytes, depth } }).allreduce(buffer);
      for (let i = 0; i < length; i++) {
        let exact = 0;
        for (let r = 0; r < n; r++) exact += value(r, i);
        if (buffer[i] !== exact) check(false, () => `segmented ring, depth ${depth}: rank ${transport.rank}, element ${i}: got ${buffer[i]}, exact ${exact}`);
      }
    }
  },
};

const hierarchicalEqualsFlat: CollectiveProperty = {
  name: 'hierarchical allreduce gives exactly the flat result on integer data, for every grouping',
  async run(transport, seed) {
    const n = transport.size;
    const length = 5 * n + 1;
    const inputs = Array.from({ length: n }, (_, r) => seededInput(seed, r, length, true));
    const flat = Float32Array.from(inputs[transport.rank]!);
    await make(transport, 'ring').allreduce(flat);
    const singletons = Array.from({ length: n }, (_, r) => [r]);
    const reversed = [Array.from({ length: n }, (_, r) => n - 1 - r)];
    for (const groups of [...testGroupings(n), singletons, reversed]) {
      const buffer = Float32Array.from(inputs[transport.rank]!);
      await make(transport, 'hierarchical', { groups }).allreduce(buffer);
      check(sameBits(buffer, flat), () => `hierarchical ${JSON.stringify(groups)}: rank ${transport.rank} differs from the flat ring`);
    }
  },
};

const maxProperty: CollectiveProperty = {
  name: 'max is the element-wise maximum for every algorithm',
  async run(transport, seed) {
    const n = transport.size;
    const inputs = Array.from({ length: n }, (_, r) => seededInput(seed, r, 37, false));
    for (const choice of ['ring', 'recursive-doubling', 'binary-tree', 'native'] as const) {
      const buffer = Float32Array.from(inputs[transport.rank]!);
      await make(transport, choice, { preferNative: choice === 'native' }).max(buffer);
      buffer.forEach((v, i) => {
        const expected = Math.max(...inputs.map((x) => x[i]!));
        check(v === expected, () => `max ${choice}: rank ${transport.rank}, element ${i}: got ${v}, expected ${expected}`);
      });
    }
  },
};

function seededBytes(seed: number, rank: number): Uint8Array {
  const rng = createRng({ seed, rank, step: 0, stream: 'property-bytes' });
  return Uint8Array.from({ length: (rank * 37 + seed) % 13 }, () => rng.nextInt(256));
}

const allgatherProperty: CollectiveProperty = {
  name: 'allgather returns every rank’s payload (lengths differ, some empty), in rank order',
  async run(transport, seed) {
    for (const preferNative of [false, true]) {
      const got = await make(transport, 'ring', { preferNative }).allgather(seededBytes(seed, transport.rank));
      check(got.length === transport.size, () => `allgather: rank ${transport.rank} got ${got.length} payloads`);
      got.forEach((bytes, r) => check(sameBits(bytes, seededBytes(seed, r)), () => `allgather: rank ${transport.rank}'s copy of rank ${r}'s payload differs`));
    }
  },
};

const broadcastProperty: CollectiveProperty = {
  name: 'broadcast copies the root’s values from every root, leaving bytes outside the view alone',
  async run(transport, seed) {
    const c = make(transport, 'ring');
    for (let root = 0; root < transport.size; root++) {
      const backing = new Float32Array(20).fill(transport.rank + 100);
      const view = backing.subarray(3, 16);
      const expected = Float32Array.from({ length: 13 }, (_, i) => i * 1.5 - root + seed);
      if (transport.rank === root) view.set(expected);
      await c.broadcast(view, root);
      check(sameBits(view, expected), () => `broadcast from ${root}: rank ${transport.rank} got [${[...view]}]`);
      check(backing[2] === transport.rank + 100 && backing[16] === transport.rank + 100, () => `broadcast from ${root}: rank ${transport.rank} wrote outside the view`);
    }
  },
};

const reduceScatterProperty: CollectiveProperty = {
  name: 'reduceScatter leaves the exact sum in each rank’s own block (even and given counts)',
  async run(transport) {
    const n = transport.size;
    const length = 3 * n + 2;
    const counts = Array.from({ length: n }, (_, r) => (r === n - 1 ? length - 3 * (n - 1) : 3));
    for (const given of [undefined, counts]) {
      const buffer = Float32Array.from({ length }, (_, i) => (transport.rank + 1) * (i + 1));
      await make(transport, 'ring').reduceScatter(buffer, given);
      const sizes = given ?? Array.from({ length: n }, (_, r) => Math.floor(length / n) + (r < length % n ? 1 : 0));
      const offset = sizes.slice(0, transport.rank).reduce((a, b) => a + b, 0);
      for (let i = offset; i < offset + sizes[transport.rank]!; i++) {
        const expected = ((n * (n + 1)) / 2) * (i + 1);
        check(buffer[i] === expected, () => `reduceScatter: rank ${transport.rank}, element ${i}: got ${buffer[i]}, expected ${expected}`);
      }
    }
  },
};

function seededVotes(seed: number, rank: number): Int8Array {
  const rng = createRng({ seed, rank, step: 0, stream: 'property-votes' });
  return Int8Array.from({ length: 41 }, () => rng.nextInt(3) - 1);
}

const voteProperty: CollectiveProperty = {
  name: 'vote gives the sign of the vote total',
  async run(transport, seed) {
    const signs = seededVotes(seed, transport.rank);
    await make(transport, 'ring').vote(signs);
    const all = Array.from({ length: transport.size }, (_, r) => seededVotes(seed, r));
    signs.forEach((s, i) => {
      const expected = Math.sign(all.reduce((t, v) => t + v[i]!, 0));
      check(s === expected, () => `vote: rank ${transport.rank}, element ${i}: got ${s}, expected ${expected}`);
    });
  },
};

function seededSparse(seed: number, rank: number, length: number, count: number): SparseVector {
  const rng = createRng({ seed, rank, step: length, stream: 'property-sparse' });
  const indices = new Set<number>();
  while (indices.size < Math.min(count, length)) indices.add(rng.nextInt(length));
  const sorted = Int32Array.from([...indices].sort((a, b) => a - b));
  return { length, indices: sorted, values: Float32Array.from(sorted, () => rng.nextInt(200) - 100) };
}

const sparseProperty: CollectiveProperty = {
  name: 'sparseAllgather is the exact dense sum; gTop-k is exact when supports fit in k, k-sparse and identical otherwise',
  async run(transport, seed) {
    const n = transport.size;
    const c = make(transport, 'ring');
    const exactOf = (vs: SparseVector[]) => {
      const dense = new Float32Array(vs[0]!.length);
      for (const v of vs) v.indices.forEach((index, i) => (dense[index] += v.values[i]!));
      return dense;
    };
    const wide = Array.from({ length: n }, (_, r) => seededSparse(seed, r, 500, 5 + r));
    const merged = toDense(await c.sparseAllgather(wide[transport.rank]!));
    check(sameBits(merged, exactOf(wide)), () => `sparseAllgather: rank ${transport.rank} differs from the exact sum`);
    const narrow = Array.from({ length: n }, (_, r) => seededSparse(seed, r, 12, 4));
    const full = toDense(await c.globalTopK(narrow[transport.rank]!, 12));
    check(sameBits(full, exactOf(narrow)), () => `globalTopK with k ≥ support: rank ${transport.rank} differs from the exact sum`);
    const top = await c.globalTopK(narrow[transport.rank]!, 3);
    check(top.indices.length <= 3, () => `globalTopK k = 3: rank ${transport.rank} kept ${top.indices.length} entries`);
    await agreeAcrossRanks(transport, toDense(top), 'globalTopK k = 3');
  },
};

const neighbourAverageProperty: CollectiveProperty = {
  name: 'neighbourAverage applies x ← Wx for random doubly-stochastic W and preserves the mean',
  async run(transport, seed) {
    const n = transport.size;
    const matrixAt = (step: number): DenseMatrix => randomDoublyStochastic(n, createRng({ seed, rank: 0, step, stream: 'property-w' }));
    const topology: Topology = matrixTopology('random-doubly-stochastic', n, matrixAt);
    const c = make(transport, 'native', { preferNative: true, topology, gossip: ['neighbour-average'] });
    const length = 33;
    const inputs = Array.from({ length: n }, (_, r) => seededInput(seed, r, length, false).map((v) => v * 10));
    const x = Float32Array.from(inputs[transport.rank]!);
    let reference = inputs.map((v) => Float64Array.from(v));
    for (let step = 0; step < 3; step++) {
      await c.neighbourAverage!(x, step);
      const w = matrixAt(step);
      reference = reference.map((_, i) => Float64Array.from({ length }, (_, k) => reference.reduce((s, xj, j) => s + w[i]![j]! * xj[k]!, 0)));
      // One float32 rounding per round of values below 10: |error| < 3 rounds × 2⁻²⁴ × 10 × 2.
      x.forEach((v, k) => check(Math.abs(v - reference[transport.rank]![k]!) < 1e-5, () => `neighbourAverage step ${step}: rank ${transport.rank}, element ${k}: got ${v}, expected ${reference[transport.rank]![k]}`));
    }
    const total = Float32Array.from(x);
    await make(transport, 'ring').allreduce(total);
    total.forEach((t, k) => {
      const before = inputs.reduce((s, v) => s + v[k]!, 0) / n;
      check(Math.abs(t / n - before) < 1e-5, () => `neighbourAverage: the mean of element ${k} moved from ${before} to ${t / n}`);
    });
  },
};

const pushSumProperty: CollectiveProperty = {
  name: 'pushSum: de-biased values converge to the average on time-varying column-stochastic graphs, Σw = n',
  async run(transport, seed) {
    const n = transport.size;
    const topology = matrixTopology('random-column-stochastic', n, (step) => randomColumnStochastic(n, createRng({ seed, rank: 0, step, stream: 'property-p' })));
    const c = make(transport, 'native', { preferNative: true, topology, gossip: ['push-sum'] });
    const inputs = Array.from({ length: n }, (_, r) => seededInput(seed, r, 9, false).map((v) => v * 10));
    const x = Float32Array.from(inputs[transport.rank]!);
    let w = 1;
    for (let step = 0; step < 80; step++) w = await c.pushSum!(x, w, step);
    const weights = Float32Array.of(w);
    await make(transport, 'ring').allreduce(weights);
    check(Math.abs(weights[0]! - n) < 1e-4, () => `pushSum: Σw = ${weights[0]}, expected ${n}`);
    x.forEach((v, k) => {
      const average = inputs.reduce((s, input) => s + input[k]!, 0) / n;
      // The consensus error after 80 rounds is far below the float32 rounding accumulated over them.
      check(Math.abs(v / w - average) < 1e-3, () => `pushSum: rank ${transport.rank}, element ${k}: x/w = ${v / w}, average ${average}`);
    });
  },
};

const nonBlockingProperty: CollectiveProperty = {
  name: 'calls issued without awaiting run in call order with the right results',
  async run(transport) {
    const n = transport.size;
    const c = make(transport, 'auto');
    const a = Float32Array.of(transport.rank, 1);
    const b = Float32Array.of(10 * transport.rank);
    const gathered = c.allgather(Uint8Array.of(transport.rank));
    await Promise.all([c.allreduce(a), c.max(b), gathered, c.allreduce(b)]);
    const expected = [(n * (n - 1)) / 2, n, n * 10 * (n - 1)];
    check(sameBits(Float32Array.of(...a, ...b), Float32Array.from(expected)), () => `queued calls: rank ${transport.rank} got [${[...a, ...b]}], expected [${expected}]`);
    check((await gathered).every((bytes, r) => bytes[0] === r), () => `queued allgather: rank ${transport.rank} got the wrong payloads`);
  },
};

/** Every property of the suite, in the order they run (all ranks must run them in the same order). */
export function collectiveProperties(): CollectiveProperty[] {
  return [
    ...(['ring', 'recursive-doubling', 'binary-tree', 'auto', 'native'] as const).map((choice) => allreduceProperty(choice)),
    allreduceProperty('hierarchical', 0),
    allreduceProperty('hierarchical', 1),
    segmentedRingProperty,
    hierarchicalEqualsFlat,
    maxProperty,
    allgatherProperty,
    broadcastProperty,
    reduceScatterProperty,
    voteProperty,
    sparseProperty,
    neighbourAverageProperty,
    pushSumProperty,
    nonBlockingProperty,
  ];
}
