/**
 * Simulated mode, public side: options, the network of transports and the `run` harness. The
 * ordering model (why results and virtual times never depend on real timing) is explained in
 * `simulator.ts`; the cost of one message in `simulated-endpoint.ts`.
 */
import { OptionError, TransportError, knownOptions, numberOption, type TransportStats } from '@syncopate/core';
import { NetworkModel, type LinkOverride } from './network-model.js';
import { SimulatedEndpoint, type SimulatedFabric } from './simulated-endpoint.js';
import { SimulatedTransport, type ComputeTime } from './simulated-transport.js';
import { messageOf, rankFailure } from '../rank-failure.js';
import { Simulator } from './simulator.js';

/** Options of {@link simulatedNetwork}. */
export interface SimulatedNetworkOptions {
  /** Number of ranks, ≥ 1. */
  readonly ranks: number;
  /** Default one-way latency α of every link, in ms. Default 0. */
  readonly latencyMs?: number;
  /** Default bandwidth of every link in Gbit/s. Give this or `bytesPerMs`; default: unlimited. */
  readonly bandwidthGbps?: number;
  /** Default bandwidth of every link in bytes per ms. */
  readonly bytesPerMs?: number;
  /** Per-link overrides of α and B, applied in order (later entries win). */
  readonly links?: readonly LinkOverride[];
  /** Compute time used by `SimulatedTransport.compute(step)`: ms, or ms per (rank, step). Default 0. */
  readonly computeMs?: number | ComputeTime;
  /** Default call deadline in virtual ms. Default: none (deadlocks are detected instead). */
  readonly timeoutMs?: number;
}

/** What {@link SimulatedNetwork.run} returns. */
export interface SimulatedRun<T> {
  /** Each rank's return value, by rank. */
  readonly results: T[];
  /** Modelled wall time: the virtual time at which the last rank finished, in ms. */
  readonly timeMs: number;
  /** Virtual time at which each rank finished, in ms. */
  readonly finishMs: number[];
  /** Each rank's traffic counters at the end. */
  readonly stats: TransportStats[];
}

const OWNER = 'simulatedNetwork';
const KNOWN = ['ranks', 'latencyMs', 'bandwidthGbps', 'bytesPerMs', 'links', 'computeMs', 'timeoutMs'];

/**
 * N ranks in one thread over a modelled network with a virtual clock. Build it with
 * {@link simulatedNetwork}; either call {@link run} (recommended: it also knows which ranks are
 * busy and reports deadlocks precisely) or use `transports` directly.
 */
export class SimulatedNetwork {
  readonly transports: readonly SimulatedTransport[];
  private readonly simulator: Simulator;
  private readonly endpoints: SimulatedEndpoint[];
  private started = false;

  constructor(options: SimulatedNetworkOptions) {
    knownOptions(OWNER, options, KNOWN);
    const size = numberOption(OWNER, 'ranks', options?.ranks, { min: 1, integer: true });
    const model = NetworkModel.fromOptions(OWNER, size, options, options.links);
    const computeTime = checkCompute(options.computeMs);
    const defaultTimeoutMs = options.timeoutMs === undefined ? Infinity : numberOption(OWNER, 'timeoutMs', options.timeoutMs, { min: 0 });
    this.simulator = new Simulator(size);
    const fabric: SimulatedFabric = { simulator: this.simulator, model, endpoints: [], egressFreeAt: new Float64Array(size), defaultTimeoutMs };
    this.endpoints = fabric.endpoints;
    for (let rank = 0; rank < size; rank++) fabric.endpoints.push(new SimulatedEndpoint(fabric, rank));
    const world = Array.from({ length: size }, (_, rank) => rank);
    this.transports = Object.freeze(fabric.endpoints.map((endpoint) => new SimulatedTransport(endpoint, computeTime, world, 0)));
  }

  get size(): number {
    return this.transports.length;
  }

  /** Current virtual time, in ms. */
  get now(): number {
    return this.simulator.now;
  }

  /**
   * Runs `main` on every rank and resolves when all have finished, with their results and the
   * modelled wall time. A rank that throws makes the run reject with an error naming it; the
   * ranks that wait on it fail with a `RankLostError` instead of hanging. A deadlock rejects with
   * the {@link DeadlockError} naming every blocked rank. Transports are disposed at the end.
   */
  async run<T>(main: (transport: SimulatedTransport, rank: number) => Promise<T> | T): Promise<SimulatedRun<T>> {
    if (this.started) throw new TransportError('SimulatedNetwork.run: a network runs once; make a new one');
    this.started = true;
    this.simulator.holdClockForBusyRanks = true;
    const finishMs = new Array<number>(this.size).fill(0);
    const outcomes = await Promise.all(
      this.transports.map((transport, rank) =>
        Promise.resolve()
          .then(() => main(transport, rank))
          .then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          )
          .then((outcome) => {
            finishMs[rank] = this.simulator.now;
            const reason = outcome.ok ? 'it has finished' : `it failed: ${messageOf(outcome.error)}`;
            this.endpoints[rank]!.markGone(reason);
            return outcome;
          }),
      ),
    );
    const stats = this.transports.map((t) => t.stats);
    await Promise.all(this.transports.map((t) => t.dispose()));
    if (this.simulator.deadlock) throw this.simulator.deadlock;
    const failed = outcomes.flatMap((o, rank) => (o.ok ? [] : [{ rank, error: o.error }]));
    if (failed.length > 0) throw rankFailure(failed, finishMs);
    return { results: outcomes.map((o) => (o as { value: T }).value), timeMs: Math.max(...finishMs), finishMs, stats };
  }
}

/**
 * A simulated network of `options.ranks` ranks with the α-β cost model: latency α
 * (`latencyMs`), bandwidth B (`bandwidthGbps` or `bytesPerMs`), per-link overrides and modelled
 * compute. Deterministic: the same program gives the same results and virtual times every run.
 *
 * @example
 * ```ts
 * const net = simulatedNetwork({ ranks: 8, latencyMs: 0.05, bandwidthGbps: 10 });
 * const { timeMs } = await net.run(async (t) => t.collectives.allreduce!(new Float32Array(1 << 20), 'sum'));
 * ```
 */
export function simulatedNetwork(options: SimulatedNetworkOptions): SimulatedNetwork {
  return new SimulatedNetwork(options);
}

/**
 * Runs `main` on every rank of a fresh simulated network (`ranks`, or full options) and returns
 * the results and the modelled wall time.
 *
 * @example
 * ```ts
 * const { results, timeMs } = await runSimulated({ ranks: 4, latencyMs: 1, bytesPerMs: 1e6 }, async (t) => {
 *   const x = new Float64Array([t.rank]);
 *   await t.collectives.allreduce!(x, 'sum');
 *   return x[0];
 * }); // results = [6, 6, 6, 6]; timeMs ≈ 6: 2(n − 1) = 6 ring steps of α = 1 ms
 * ```
 */
export function runSimulated<T>(
  ranksOrOptions: number | SimulatedNetworkOptions,
  main: (transport: SimulatedTransport, rank: number) => Promise<T> | T,
): Promise<SimulatedRun<T>> {
  try {
    const options = typeof ranksOrOptions === 'number' ? { ranks: ranksOrOptions } : ranksOrOptions;
    return new SimulatedNetwork(options).run(main);
  } catch (error) {
    return Promise.reject(error);
  }
}

function checkCompute(computeMs: SimulatedNetworkOptions['computeMs']): ComputeTime {
  if (computeMs === undefined) return () => 0;
  if (typeof computeMs === 'function') return computeMs;
  if (typeof computeMs !== 'number') throw new OptionError(OWNER, 'computeMs', 'must be a number of ms >= 0 or a function (rank, step) => ms');
  const ms = numberOption(OWNER, 'computeMs', computeMs, { min: 0 });
  return () => ms;
}
