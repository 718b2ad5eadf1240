import { Capabilities, OptionError, Topology, Transport, knownOptions, type Neighbourhood, type PluginSpec } from '@syncopate/core';

/**
 * The hypercube: on n = 2ᵈ ranks, rank r is linked to the d ranks whose number differs from r in
 * exactly one bit, r ⊕ 2ᵏ. Every rank mixes with itself and its d neighbours with weight 1/(d + 1),
 * so W is symmetric and doubly stochastic. Consensus needs only log₂ n hops, with log₂ n links per
 * rank. (Hypercube averaging is the "dimension exchange" setting of Cybenko, "Dynamic load
 * balancing for distributed memory multiprocessors", J. Parallel Distrib. Comput., 1989; this is
 * its all-dimensions-at-once variant.)
 */
export class Hypercube implements Topology {
  readonly name = 'hypercube';
  readonly timeVarying = false;
  readonly servers: readonly number[] = [];
  readonly groups: readonly (readonly number[])[];
  private readonly dimensions: number;

  constructor(readonly size: number) {
    this.dimensions = Math.log2(size);
    if (!Number.isInteger(this.dimensions)) {
      throw new OptionError('hypercube', 'size', `must be a power of two (1, 2, 4, 8, …), got ${size} ranks`);
    }
    this.groups = [Array.from({ length: size }, (_, r) => r)];
  }

  neighbourhood(rank: number, step: number): Neighbourhood {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.size) throw new OptionError('hypercube', 'rank', `must be an integer in [0, ${this.size - 1}], got ${rank}`);
    if (!Number.isInteger(step) || step < 0) throw new OptionError('hypercube', 'step', `must be a non-negative integer, got ${step}`);
    const weight = 1 / (this.dimensions + 1);
    const edges = Array.from({ length: this.dimensions }, (_, bit) => ({ peer: rank ^ (1 << bit), weight }));
    return { self: weight, receive: edges, send: edges };
  }
}

/**
 * The hypercube topology (needs a power-of-two number of ranks).
 *
 * @example
 * ```ts
 * plugins: [hypercube(), neighbourAverage()]
 * ```
 */
export function hypercube(options: Record<string, never> = {}): PluginSpec<Record<string, never>> {
  knownOptions('hypercube', options, []);
  return Object.freeze<PluginSpec<Record<string, never>>>({
    kind: 'topology',
    name: 'hypercube',
    options: Object.freeze({}),
    provides: Object.freeze([Capabilities.doublyStochastic]),
    register(registrar) {
      registrar.register(Topology, { useFactory: (resolver) => new Hypercube(resolver.resolve(Transport).size) });
    },
  });
}
