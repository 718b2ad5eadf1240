/**
 * The scheduler, topology and momentum contracts must be able to fail: a small reference
 * implementation of each passes, and deliberately broken variants fail the check that guards
 * their defect. (The built-in plugins run these contracts in packages/trainer/test/.)
 */
import {
  Momentum,
  OptionError,
  Scheduler,
  StateError,
  Topology,
  Transport,
  fnv1a64,
  knownOptions,
  numberOption,
  type Neighbourhood,
  type PluginSpec,
  type Snapshot,
  type StepContext,
} from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import type { ContractCase } from './plugin-contract-common.js';
import { momentumContract } from './momentum-contract.js';
import { schedulerContract } from './scheduler-contract.js';
import { topologyContract } from './topology-contract.js';

async function failing(cases: ContractCase[]): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  for (const c of cases) await Promise.resolve().then(c.run).catch((error: unknown) => failed.set(c.name, String(error)));
  return failed;
}

function specOf(kind: 'scheduler' | 'topology' | 'momentum', name: string, options: object, register: PluginSpec['register']): PluginSpec {
  return Object.freeze<PluginSpec>({ kind, name, options: Object.freeze({ ...options }), register });
}

describe('schedulerContract', () => {
  type Defect = 'none' | 'gap' | 'unstable-hash' | 'constant-hash' | 'bad-order';
  let calls = 0;
  // One bucket per tensor, sent last tensor first (the order backprop produces gradients).
  const perTensor = (defect: Defect) => (options: Record<string, never> = {}) => {
    knownOptions('perTensor', options, []);
    return specOf('scheduler', 'perTensor', {}, (registrar) =>
      registrar.register(Scheduler, {
        useFactory: () => ({
          name: 'perTensor',
          plan(layout) {
            const buckets = layout.entries.map((e, i) => {
              const short = defect === 'gap' && i === layout.entries.length - 1 && e.length > 0;
              return Object.freeze({ index: i, offset: e.offset, length: e.length - (short ? 1 : 0), tensors: [e.name] });
            });
            const order = buckets.map((_, i) => buckets.length - 1 - i);
            if (defect === 'bad-order') order[0] = 0;
            const hash = defect === 'constant-hash' ? 'same' : fnv1a64(`${layout.hash()}|${defect === 'unstable-hash' ? calls++ : ''}`);
            return { buckets, order, hash };
          },
        }),
      }),
    );
  };
  const run = (defect: Defect) => failing(schedulerContract(perTensor(defect)));

  it('passes a correct scheduler', async () => {
    expect([...(await run('none')).keys()]).toEqual([]);
  });

  it('catches buckets that leave elements out, an order that is not a permutation, and unstable or shared hashes', async () => {
    expect((await run('gap')).get('plans buckets that tile the buffer, name their tensors, and an order that is a permutation')).toMatch(/cover 9 of 10 elements/);
    expect((await run('bad-order')).get('plans buckets that tile the buffer, name their tensors, and an order that is a permutation')).toMatch(/not a permutation/);
    expect([...(await run('unstable-hash')).keys()]).toEqual(['plans the same buckets, order and hash on every instance and every call (a pure function of the layout)']);
    expect([...(await run('constant-hash')).keys()]).toEqual(['gives different layouts different plan hashes']);
  });
});

describe('topologyContract', () => {
  type Defect = 'none' | 'asymmetric' | 'not-stochastic' | 'disconnected' | 'undeclared-time-varying' | 'lax-rank';
  // The undirected ring with weight 1/3 on self and each neighbour (1/2 on two ranks).
  const ringOf = (defect: Defect) => (options: Record<string, never> = {}) => {
    knownOptions('testRing', options, []);
    return specOf('topology', 'testRing', {}, (registrar) =>
      registrar.register(Topology, {
        useFactory: (resolver) => {
          const size = resolver.resolve(Transport).size;
          const peersOf = (rank: number, step: number) => {
            if (defect === 'disconnected') return size > 1 && (rank ^ 1) < size ? [rank ^ 1] : [];
            const shift = defect === 'undeclared-time-varying' ? 1 + (step % 2) : 1;
            return [...new Set([(rank + size - shift) % size, (rank + shift) % size])].filter((p) => p !== rank);
          };
          const neighbourhood = (rank: number, step: number): Neighbourhood => {
            if (!(Number.isInteger(rank) && rank >= 0 && rank < size) && defect !== 'lax-rank') throw new OptionError('testRing', 'rank', `must be in [0, ${size}), got ${rank}`);
            const peers = peersOf(rank, step);
            const w = 1 / (peers.length + 1);
            const self = defect === 'not-stochastic' && size > 2 ? 0.5 : w;
            const send = peers.map((peer) => ({ peer, weight: defect === 'asymmetric' && rank === 0 ? w / 2 : w }));
            return { self, receive: peers.map((peer) => ({ peer, weight: w })), send };
          };
          return { name: 'testRing', size, timeVarying: false, servers: [], groups: [[...Array(size).keys()]], neighbourhood };
        },
      }),
    );
  };
  const run = async (defect: Defect) => failing(topologyContract(ringOf(defect)));

  it('passes a correct topology', async () => {
    expect([...(await run('none')).keys()]).toEqual([]);
  });

  it('catches send and receive weights that disagree, rows that do not sum to 1, and a graph that is not connected', async () => {
    expect((await run('asymmetric')).get('gives every rank the same weights without communicating (deterministic, consistent)')).toMatch(/rank 1 receives from 0 with weight 0.5, but 0 sends to 1 with 0.25/);
    expect([...(await run('not-stochastic')).keys()]).toEqual(['mixes with non-negative, row-stochastic weights']);
    expect((await run('disconnected')).get('connects every rank to every other over the checked steps')).toMatch(/size 3: rank 0 never hears from ranks 2/);
  });

  it('catches a topology that changes with the step without saying so, and one that accepts any rank', async () => {
    expect((await run('undeclared-time-varying')).get('gives every rank the same weights without communicating (deterministic, consistent)')).toMatch(/a static topology changed at step 1/);
    expect((await run('lax-rank')).get('refuses a rank outside [0, size) with an OptionError')).toBeDefined();
  });
});

describe('momentumContract', () => {
  type Defect = 'none' | 'rank-noise' | 'hidden-state' | 'lax-restore';
  /** Outer SGD at every sync: x ← x₀ + α(x̄ − x₀), x₀ ← x (α = 1 is the base algorithm). */
  const outerSgd = (defect: Defect) => (options: { alpha?: number } = {}) => {
    knownOptions('outerSgd', options, ['alpha']);
    const alpha = numberOption('outerSgd', 'alpha', options.alpha, { above: 0 }, 0.5);
    return specOf('momentum', 'outerSgd', { alpha }, (registrar) =>
      registrar.register(Momentum, {
        useFactory: () => {
          let anchor = new Float32Array(0);
          let syncs = 0;
          return {
            name: 'outerSgd',
            init: (p: Float32Array) => void (anchor = p.slice()),
            onSync(p: Float32Array, ctx: StepContext) {
              const a = defect === 'hidden-state' ? alpha / ++syncs : alpha;
              const jitter = defect === 'rank-noise' ? 1e-3 * ctx.rng('jitter').nextNormal() : 0;
              for (let i = 0; i < p.length; i++) p[i] = anchor[i]! + a * (p[i]! - anchor[i]!) + jitter;
              anchor = p.slice();
            },
            snapshot: (): Snapshot => ({ anchor: anchor.slice() }),
            restore(s: Snapshot) {
              if (!(s.anchor instanceof Float32Array)) {
                if (defect === 'lax-restore') return;
                throw new StateError("outerSgd: snapshot field 'anchor' must be a Float32Array");
              }
              anchor = s.anchor.slice();
            },
          };
        },
      }),
    );
  };
  const run = (defect: Defect) => failing(momentumContract(outerSgd(defect), { invalidOptions: [{ options: { alpha: 0 }, option: 'alpha' }] }));

  it('passes a correct momentum plugin', async () => {
    expect([...(await run('none')).keys()]).toEqual([]);
  });

  it('catches private randomness that pulls ranks apart, state missing from snapshots, and a lax restore', async () => {
    expect((await run('rank-noise')).get('keeps ranks that agree in agreement, and is deterministic for a seed')).toMatch(/rank 0 vs rank 3/);
    expect([...(await run('hidden-state')).keys()]).toEqual(['continues bit for bit after init and restore in a fresh instance at step 4']);
    expect((await run('lax-restore')).get('snapshots plain data, and refuses a snapshot with a field missing')).toMatch(/expected StateError, but nothing was thrown/);
  });
});
