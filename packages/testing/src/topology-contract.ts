/**
 * The contract every topology passes, as named cases any test runner can run:
 *
 * ```ts
 * for (const c of topologyContract(ring)) it(c.name, c.run);
 * ```
 *
 * Every rank computes the mixing weights on its own, so they must agree without communicating:
 * for each size the topology accepts, `neighbourhood` is deterministic (two instances, every step
 * for a static graph), consistent (rank j's `send` weight to i equals rank i's `receive` weight
 * from j), row-stochastic with non-negative weights (doubly stochastic when it provides
 * `topology:doubly-stochastic`), strongly connected over a window of steps (or consensus is
 * impossible), its declared capabilities match what it does (`timeVarying`, servers, groups that
 * partition the ranks), and a rank outside [0, size) is refused with an `OptionError`.
 */
import { Capabilities, OptionError, Topology, Transport, type PluginSpec } from '@syncopate/core';
import { check, expectError } from './compressor-contract-assert.js';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';
import { checkOptionValidation, checkSpecShape, type ContractCase, type InvalidOption } from './plugin-contract-common.js';
import { sameData } from './policy-contract-checks.js';

/** Options of {@link topologyContract}. */
export interface TopologyContractOptions<O> {
  /** The options the topology under test is built with. Default: none. */
  readonly options?: O;
  /** Options the factory must refuse with an `OptionError` naming `option`. */
  readonly invalidOptions?: readonly InvalidOption[];
  /** Sizes it must work on. Default [1, 2, 3, 4, 5, 8, 12]. */
  readonly sizes?: readonly number[];
  /** Steps whose neighbourhoods are checked. Default 0–7 and 1000. */
  readonly steps?: readonly number[];
  /** Services its factory resolves besides `Transport` (a stand-in with `rank` 0 and `size`). */
  readonly services?: readonly CompressorContractService[];
}

const TOLERANCE = 1e-9;

/** The stand-in transport a topology's factory reads its size from. */
function sizedTransport(size: number): Transport {
  const refuse = () => Promise.reject(new Error('a topology must not communicate'));
  return {
    name: 'topology-contract',
    rank: 0,
    size,
    clock: { now: () => 0 },
    collectives: {},
    stats: { bytesSent: 0, bytesReceived: 0, messagesSent: 0 },
    send: refuse,
    recv: refuse,
    recvInto: refuse,
    barrier: refuse,
    dispose: () => Promise.resolve(),
  };
}

/** The contract cases of the topology made by `factory(options.options)`. */
export function topologyContract<O>(factory: (options: O) => PluginSpec, options: TopologyContractOptions<O> = {}): ContractCase[] {
  const spec = factory(options.options as O);
  const sizes = options.sizes ?? [1, 2, 3, 4, 5, 8, 12];
  const steps = options.steps ?? [0, 1, 2, 3, 4, 5, 6, 7, 1000];
  const make = (size: number): Topology => instantiate(spec, Topology, [[Transport, sizedTransport(size)], ...(options.services ?? [])]);
  const provides = new Set(spec.provides ?? []);
  const cases: ContractCase[] = [];
  const add = (name: string, run: () => void) => cases.push({ name, run });
  const eachSize = (body: (topology: Topology, size: number) => void) => {
    for (const size of sizes) {
      const topology = make(size);
      check(topology.size === size, `built for ${size} ranks, its size is ${topology.size}`);
      body(topology, size);
    }
  };

  add('is an inert, frozen topology spec that builds a fresh topology per composition', () => {
    checkSpecShape(spec, 'topology', Topology);
    const a = make(sizes[0]!);
    check(a !== make(sizes[0]!), 'each composition must get its own topology instance');
    check(a.name === spec.name, `the topology's name '${a.name}' differs from its spec's name '${spec.name}'`);
  });

  add('validates its options at once, with an OptionError naming the option', () => {
    checkOptionValidation(factory, options.options, options.invalidOptions);
  });

  add('gives every rank the same weights without communicating (deterministic, consistent)', () => {
    eachSize((topology, size) => {
      const other = make(size);
      for (const step of steps) {
        for (let rank = 0; rank < size; rank++) {
          const hood = topology.neighbourhood(rank, step);
          check(sameData(other.neighbourhood(rank, step), hood), `size ${size}, rank ${rank}, step ${step}: two instances disagree`);
          if (!topology.timeVarying) check(sameData(topology.neighbourhood(rank, 0), hood), `size ${size}, rank ${rank}: a static topology changed at step ${step}`);
          for (const edge of [...hood.receive, ...hood.send]) {
            check(Number.isInteger(edge.peer) && edge.peer >= 0 && edge.peer < size && edge.peer !== rank, `size ${size}, rank ${rank}, step ${step}: edge to peer ${edge.peer}`);
          }
          for (const { peer, weight } of hood.receive) {
            const mirrored = topology.neighbourhood(peer, step).send.find((e) => e.peer === rank);
            check(mirrored !== undefined && Math.abs(mirrored.weight - weight) <= TOLERANCE, `size ${size}, step ${step}: rank ${rank} receives from ${peer} with weight ${weight}, but ${peer} sends to ${rank} with ${mirrored?.weight ?? 'nothing'}`);
          }
        }
      }
    });
  });

  add(`mixes with non-negative, row-stochastic weights${provides.has(Capabilities.doublyStochastic) ? ' (doubly stochastic, as declared)' : ''}`, () => {
    eachSize((topology, size) => {
      for (const step of steps) {
        const columns = new Float64Array(size);
        for (let rank = 0; rank < size; rank++) {
          const hood = topology.neighbourhood(rank, step);
          const weights = [hood.self, ...hood.receive.map((e) => e.weight)];
          check(weights.every((w) => Number.isFinite(w) && w >= 0), `size ${size}, rank ${rank}, step ${step}: weights ${weights.join(', ')}`);
          const row = weights.reduce((a, b) => a + b, 0);
          check(Math.abs(row - 1) <= TOLERANCE, `size ${size}, rank ${rank}, step ${step}: self + receive weights sum to ${row}, not 1`);
          columns[rank] += hood.self;
          for (const e of hood.receive) columns[e.peer] += e.weight;
        }
        if (provides.has(Capabilities.doublyStochastic)) {
          columns.forEach((sum, j) => check(Math.abs(sum - 1) <= TOLERANCE, `size ${size}, step ${step}: column ${j} sums to ${sum}, but the spec provides ${Capabilities.doublyStochastic}`));
        }
      }
    });
  });

  add('connects every rank to every other over the checked steps', () => {
    eachSize((topology, size) => {
      const reach = Array.from({ length: size }, (_, r) => new Set([r]));
      for (let round = 0; round < size; round++) {
        for (const step of steps) {
          for (let rank = 0; rank < size; rank++) {
            for (const e of topology.neighbourhood(rank, step).receive) for (const r of reach[e.peer]!) reach[rank]!.add(r);
          }
        }
      }
      reach.forEach((set, rank) => check(set.size === size, `size ${size}: rank ${rank} never hears from ranks ${[...Array(size).keys()].filter((r) => !set.has(r)).join(', ')}`));
    });
  });

  add('declares what it does: time variation, servers, groups that partition the ranks', () => {
    eachSize((topology, size) => {
      check(topology.timeVarying === provides.has(Capabilities.timeVarying), `timeVarying is ${topology.timeVarying} but the spec ${provides.has(Capabilities.timeVarying) ? 'provides' : 'does not provide'} ${Capabilities.timeVarying}`);
      check(topology.servers.every((s) => Number.isInteger(s) && s >= 0 && s < size), `size ${size}: servers ${topology.servers.join(', ')}`);
      if (topology.servers.length > 0) check(provides.has(Capabilities.serverRanks), `it has servers but the spec does not provide ${Capabilities.serverRanks}`);
      const grouped = topology.groups.flat().sort((a, b) => a - b);
      check(sameData(grouped, [...Array(size).keys()]), `size ${size}: groups [${topology.groups.map((g) => `[${g.join(', ')}]`).join(', ')}] do not partition the ranks`);
    });
  });

  add('refuses a rank outside [0, size) with an OptionError', () => {
    const size = sizes.at(-1)!;
    const topology = make(size);
    for (const rank of [-1, size, 0.5]) expectError(() => topology.neighbourhood(rank, 0), OptionError, `neighbourhood(${rank}, 0) on ${size} ranks`);
  });

  return cases;
}
