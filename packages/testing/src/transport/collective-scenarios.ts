import type { NumericArray, ReduceOp, Transport } from '@syncopate/core';
import { bytesOf, check, checkBytes, checkRejects } from './check.js';
import { randomBytes, randomFloats, randomInts, type DataKey } from './random-data.js';
import type { ScenarioContext, TransportScenario } from './scenario.js';

type Dtype = 'float32' | 'float64' | 'int32';
const DTYPES: readonly Dtype[] = ['float32', 'float64', 'int32'];
const OPS: readonly ReduceOp[] = ['sum', 'max', 'min'];
/** Unit roundoff of each type: a float sum over n ranks may be off by n · u · Σ|x| (any summation order). */
const UNIT_ROUNDOFF: Record<Dtype, number> = { float32: 2 ** -24, float64: 2 ** -53, int32: 0 };

/** Lengths that are zero, smaller than, not divisible by and much larger than the rank count. */
export function awkwardLengths(size: number): number[] {
  return [...new Set([0, 1, size + 1, 2 * size + 3, 1031])];
}

function contribution(dtype: Dtype, length: number, key: DataKey): NumericArray {
  if (dtype === 'int32') return randomInts(length, key);
  return dtype === 'float32' ? randomFloats(Float32Array, length, key) : randomFloats(Float64Array, length, key);
}

/**
 * Checks `got` against the reduction of every rank's contribution, recomputed here in float64:
 * exact for int32 and for max/min; for float sums within size · u · Σ|x| per element.
 */
function checkReduction(got: NumericArray, dtype: Dtype, op: ReduceOp, all: NumericArray[], what: string, offset = 0): void {
  for (let i = 0; i < got.length; i++) {
    const values = all.map((x) => x[offset + i]!);
    if (op === 'sum') {
      const exact = values.reduce((a, b) => a + b, 0);
      const tolerance = all.length * UNIT_ROUNDOFF[dtype] * values.reduce((a, b) => a + Math.abs(b), 0);
      check(Math.abs(got[i]! - exact) <= tolerance, () => `${what}: element ${i} is ${got[i]}, expected ${exact} ± ${tolerance}`);
    } else {
      const expected = op === 'max' ? Math.max(...values) : Math.min(...values);
      check(got[i] === expected, () => `${what}: element ${i} is ${got[i]}, expected ${expected}`);
    }
  }
}

/** Allreduce gives every rank the reduction of all ranks' buffers, for every op, dtype and awkward length. */
const allreduce: TransportScenario = {
  name: 'allreduce: every op, dtype and length',
  needs: ['allreduce'],
  async run(t, ctx) {
    let step = ctx.index * 1000;
    for (const dtype of DTYPES) {
      for (const op of OPS) {
        for (const length of awkwardLengths(t.size)) {
          const key = (rank: number): DataKey => ({ seed: ctx.seed, rank, step, stream: 'allreduce' });
          const buffer = contribution(dtype, length, key(t.rank));
          await t.collectives.allreduce!(buffer, op, ctx.call);
          const all = Array.from({ length: t.size }, (_, rank) => contribution(dtype, length, key(rank)));
          checkReduction(buffer, dtype, op, all, `allreduce(${op}) of ${length} ${dtype}`);
          step++;
        }
      }
    }
  },
};

/** Ranks that pass different lengths all get a LengthMismatchError naming the ranks and lengths; the transport keeps working. */
const allreduceMismatch: TransportScenario = {
  name: 'allreduce rejects different lengths',
  needs: ['allreduce'],
  async run(t, ctx) {
    if (t.size === 1) return;
    const odd = t.size - 1;
    const length = t.rank === odd ? 11 : 10;
    const { error } = await checkRejects(
      () => t.collectives.allreduce!(new Float32Array(length).fill(1), 'sum', ctx.call),
      'LENGTH_MISMATCH',
      `allreduce where rank ${odd} passes 11 elements and the others 10`,
    );
    const lengths = (error as { lengths?: ReadonlyMap<number, number> }).lengths;
    check(lengths instanceof Map, `the error must carry the lengths by rank: ${error.message}`);
    check(lengths.get(odd) === 11, () => `the error must name rank ${odd} with 11 elements: ${error.message}`);
    check([...lengths].some(([rank, n]) => rank !== odd && n === 10), () => `the error must name a rank with 10 elements: ${error.message}`);
    const after = new Int32Array([1, t.rank]);
    await t.collectives.allreduce!(after, 'sum', ctx.call);
    check(after[0] === t.size && after[1] === (t.size * (t.size - 1)) / 2, `an allreduce after the failed one gave [${after.join(', ')}]`);
  },
};

/** Broadcast copies the root's bytes into every rank's buffer, from every root, for any view. */
const broadcast: TransportScenario = {
  name: 'broadcast from every root',
  needs: ['broadcast'],
  async run(t, ctx) {
    for (let root = 0; root < t.size; root++) {
      for (const [i, length] of [0, 1, 13, 4099].entries()) {
        const key: DataKey = { seed: ctx.seed, rank: root, step: ctx.index * 1000 + root * 10 + i, stream: 'broadcast' };
        const buffer = t.rank === root ? randomBytes(length, key) : new Uint8Array(length);
        await t.collectives.broadcast!(buffer, root, ctx.call);
        checkBytes(buffer, randomBytes(length, key), `broadcast of ${length} bytes from rank ${root}`);
      }
      // A typed view at an offset: only the view's bytes change.
      const backing = new Float64Array(6).fill(-1);
      const view = new Float64Array(backing.buffer, 8, 4);
      if (t.rank === root) view.set([root, 1.5, 2.5, 3.5]);
      await t.collectives.broadcast!(view, root, ctx.call);
      checkBytes(bytesOf(backing), bytesOf(new Float64Array([-1, root, 1.5, 2.5, 3.5, -1])), `broadcast into a Float64Array view from rank ${root}`);
    }
  },
};

/** Allgather returns every rank's bytes, by rank, whatever their lengths (zero included). */
const allgather: TransportScenario = {
  name: 'allgather of different lengths',
  needs: ['allgather'],
  async run(t, ctx) {
    const length = (rank: number) => (rank * 7) % 12;
    const key = (rank: number): DataKey => ({ seed: ctx.seed, rank, step: ctx.index, stream: 'allgather' });
    const got = await t.collectives.allgather!(randomBytes(length(t.rank), key(t.rank)), ctx.call);
    check(Array.isArray(got) && got.length === t.size, `allgather returned ${Array.isArray(got) ? got.length : typeof got} entries for ${t.size} ranks`);
    got.forEach((bytes, rank) => checkBytes(bytes, randomBytes(length(rank), key(rank)), `allgather: the contribution of rank ${rank}`));
    const view = new Int32Array(new Int32Array([-1, t.rank, -1]).buffer, 4, 1);
    const ranks = await t.collectives.allgather!(view, ctx.call);
    ranks.forEach((bytes, rank) => checkBytes(bytes, bytesOf(new Int32Array([rank])), `allgather of an Int32Array view: rank ${rank}`));
  },
};

/** Reduce-scatter leaves each rank its own block of the sum, with uneven and zero counts. */
const reduceScatter: TransportScenario = {
  name: 'reduceScatter with uneven counts',
  needs: ['reduceScatter'],
  async run(t, ctx) {
    const countings = [Array.from({ length: t.size }, (_, r) => (r * 3 + 1) % 4), new Array<number>(t.size).fill(0), Array.from({ length: t.size }, (_, r) => r + 1)];
    for (const [c, counts] of countings.entries()) {
      const total = counts.reduce((a, b) => a + b, 0);
      const key = (rank: number): DataKey => ({ seed: ctx.seed, rank, step: ctx.index * 10 + c, stream: 'reduceScatter' });
      const buffer = randomFloats(Float32Array, total, key(t.rank));
      await t.collectives.reduceScatter!(buffer, counts, ctx.call);
      const offset = counts.slice(0, t.rank).reduce((a, b) => a + b, 0);
      const all = Array.from({ length: t.size }, (_, rank) => randomFloats(Float32Array, total, key(rank)));
      checkReduction(buffer.subarray(offset, offset + counts[t.rank]!), 'float32', 'sum', all, `reduceScatter with counts [${counts.join(', ')}]`, offset);
    }
  },
};

/** Collectives issued back to back without waiting run in call order and each gets its own result. */
const queued: TransportScenario = {
  name: 'collectives issued together run in call order',
  needs: ['allreduce', 'allgather', 'broadcast'],
  async run(t: Transport, ctx: ScenarioContext) {
    const a = new Float64Array([t.rank, 1]);
    const b = new Int32Array([t.rank]);
    const root = t.size - 1;
    const c = new Uint8Array([t.rank === root ? 42 : 0]);
    const calls = [
      t.collectives.allreduce!(a, 'sum', ctx.call),
      t.collectives.allgather!(new Uint8Array([t.rank]), ctx.call),
      t.collectives.broadcast!(c, root, ctx.call),
      t.collectives.allreduce!(b, 'max', ctx.call),
      t.barrier(ctx.call),
    ] as const;
    const [, gathered] = await Promise.all(calls);
    check(a[0] === (t.size * (t.size - 1)) / 2 && a[1] === t.size, `allreduce #1 gave [${a.join(', ')}]`);
    check(gathered.every((bytes, rank) => bytes.length === 1 && bytes[0] === rank), 'allgather #2 gave the wrong contributions');
    check(c[0] === 42, `broadcast #3 gave ${c[0]}`);
    check(b[0] === t.size - 1, `allreduce(max) #4 gave ${b[0]}`);
  },
};

/** Collective properties of the contract (each skipped when the transport does not offer the collective natively). */
export const collectiveScenarios: readonly TransportScenario[] = [allreduce, allreduceMismatch, broadcast, allgather, reduceScatter, queued];
