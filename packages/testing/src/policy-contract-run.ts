/**
 * Runs a sync policy on N in-process ranks the way the trainer's step runner does
 * (onGradients → SGD step → onParameters, then finish), on a small problem where every rank
 * pulls towards its own optimum, so ranks drift apart unless the policy brings them together.
 *
 * Each rank runs its own loop, as real ranks do; nothing forces them into lockstep except the
 * exchange. When every unfinished rank waits on the exchange and nothing has moved for a few
 * event-loop turns, the run fails with what each rank was doing: on a network that is a deadlock.
 */
import {
  Exchange,
  ParamLayout,
  SHARED_RANK,
  Scheduler,
  SyncPolicy,
  Topology,
  createRng,
  fnv1a64,
  type Neighbourhood,
  type PluginSpec,
  type Snapshot,
  type StepContext,
} from '@syncopate/core';
import { ContractViolation } from './compressor-contract-assert.js';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';
import { policyStepContext } from './policy-contract-context.js';
import { recordingExchanges, type RecordedRequest } from './policy-contract-exchange.js';

/** The model every contract run trains: three tensors, 16 parameters. */
export const CONTRACT_LAYOUT = ParamLayout.of([
  { name: 'dense/kernel', shape: [4, 3] },
  { name: 'dense/bias', shape: [3] },
  { name: 'scale', shape: [1] },
]);

/** Base learning rate of the contract runs' SGD step. */
export const CONTRACT_LR = 0.1;
const STEPS_PER_EPOCH = 4;
const NOISE = 0.1;

/** A two-bucket plan that sends the second bucket first, to catch policies that ignore the plan's order. */
export const contractScheduler: Scheduler = {
  name: 'contractTwoBuckets',
  plan(layout) {
    const buckets = [layout.span(0, 0, 0), layout.span(1, 1, layout.entries.length - 1)];
    return Object.freeze({ buckets, order: [1, 0], hash: fnv1a64(`contract|${layout.hash()}`) });
  },
};

/** The ring a contract run gossips on (weight 1/3 to self and each neighbour; 1/2 on two ranks). */
export function contractRing(size: number): Topology {
  const neighbourhood = (rank: number): Neighbourhood => {
    const peers = [...new Set([(rank + size - 1) % size, (rank + 1) % size])].filter((p) => p !== rank);
    const weight = 1 / (peers.length + 1);
    const edges = peers.map((peer) => ({ peer, weight }));
    return { self: weight, receive: edges, send: edges };
  };
  return { name: 'contractRing', size, timeVarying: false, servers: [], groups: [Array.from({ length: size }, (_, r) => r)], neighbourhood };
}

/** Where a run starts: step 0 from the shared initial parameters, or a checkpoint. */
interface Start {
  readonly step: number;
  readonly parameters: readonly Float32Array[];
  readonly snapshots?: readonly (Snapshot | undefined)[];
}

/** What to run. */
export interface ContractRun {
  readonly spec: PluginSpec;
  readonly size: number;
  readonly steps: number;
  readonly seed: number;
  /** Extra services for the policy's factory, per rank. */
  readonly services?: (rank: number, size: number) => readonly CompressorContractService[];
  /** After this many steps, `settle()` and record each rank's parameters and `snapshot()` (then carry on). */
  readonly checkpointAt?: number;
  readonly from?: Start;
}

/** What a run did, per rank. */
export interface ContractRunResult {
  /** Final parameters of each rank (after `finish`). */
  readonly parameters: readonly Float32Array[];
  /** `after[step][rank]`: parameters after `onParameters` of `step`. */
  readonly after: readonly (readonly Float32Array[])[];
  /** `synced[step][rank]`. */
  readonly synced: readonly (readonly boolean[])[];
  readonly logs: readonly (readonly RecordedRequest[])[];
  /** Exchanges each rank still had in flight when its `finish` returned. */
  readonly inFlightAfterFinish: readonly number[];
  /** Exchanges each rank still had in flight when it took its checkpoint (after `settle`). */
  readonly inFlightAtCheckpoint: readonly number[];
  /** The checkpoint taken at `checkpointAt` (after `settle`, as a paused trainer does), if asked for. */
  readonly checkpoint?: Start;
  /** The policy instances, for inspection. */
  readonly policies: readonly SyncPolicy[];
}

/** The parameters every rank starts from (as after the trainer's start-up broadcast). */
export function initialParameters(seed: number): Float32Array {
  const rng = createRng({ seed, rank: SHARED_RANK, step: 0, stream: 'contract/initial' });
  return Float32Array.from({ length: CONTRACT_LAYOUT.totalLength }, () => rng.nextNormal());
}

/** ∇ of ½‖x − c_rank‖² plus seeded noise: each rank pulls towards its own optimum c_rank. */
function gradient(parameters: Float32Array, seed: number, rank: number, step: number, into: Float32Array): void {
  const target = createRng({ seed, rank, step: 0, stream: 'contract/optimum' });
  const noise = createRng({ seed, rank, step, stream: 'contract/noise' });
  for (let i = 0; i < parameters.length; i++) into[i] = parameters[i]! - (4 * target.nextFloat() - 2) + NOISE * noise.nextNormal();
}

/** The context of `step` on `rank` in a contract run. */
export function contractStepContext(step: number, rank: number, size: number, seed: number, signal?: AbortSignal): StepContext {
  return policyStepContext(CONTRACT_LAYOUT, { step, rank, size, seed, lr: CONTRACT_LR, stepsPerEpoch: STEPS_PER_EPOCH, ...(signal && { signal }) });
}

/** Run `run.spec` on `run.size` ranks from `run.from` (or step 0) to `run.steps`, then finish. */
export async function runPolicy(run: ContractRun): Promise<ContractRunResult> {
  const { spec, size, steps, seed } = run;
  const topology = contractRing(size);
  const group = recordingExchanges(size, (rank, step) => topology.neighbourhood(rank, step));
  const signal = new AbortController().signal;
  const start = run.from ?? { step: 0, parameters: Array.from({ length: size }, () => initialParameters(seed)) };
  const after: Float32Array[][] = Array.from({ length: steps }, () => []);
  const synced: boolean[][] = Array.from({ length: steps }, () => []);
  const checkpoint = { parameters: [] as Float32Array[], snapshots: [] as (Snapshot | undefined)[] };
  const status = new Array<string>(size).fill('not started');
  const inFlightAfterFinish = new Array<number>(size).fill(0);
  const inFlightAtCheckpoint = new Array<number>(size).fill(0);
  const policies = Array.from({ length: size }, (_, rank) =>
    instantiate(spec, SyncPolicy, [
      [Exchange, group.ranks[rank]!],
      [Scheduler, contractScheduler],
      [Topology, topology],
      ...(run.services?.(rank, size) ?? []),
    ]),
  );

  const rankLoop = async (rank: number): Promise<Float32Array> => {
    const policy = policies[rank]!;
    const enter = (hook: string, step: number) => {
      status[rank] = `in ${hook}@${step}`;
      group.enter(rank, `${hook}@${step}`, signal);
      return contractStepContext(step, rank, size, seed, signal);
    };
    const parameters = initialParameters(seed);
    await policy.init?.(parameters, enter('init', 0));
    if (run.from) {
      parameters.set(start.parameters[rank]!);
      const snapshot = start.snapshots?.[rank];
      if (snapshot) policy.restore?.(snapshot);
    }
    const gradients = new Float32Array(parameters.length);
    for (let step = start.step; step < steps; step++) {
      if (step === run.checkpointAt) {
        // As the trainer pauses (fit({ stopAtStep })): settle, then checkpoint.
        if (step > 0) await policy.settle?.(enter('settle', step - 1));
        inFlightAtCheckpoint[rank] = group.ranks[rank]!.inFlight;
        checkpoint.parameters[rank] = parameters.slice();
        checkpoint.snapshots[rank] = policy.snapshot?.();
      }
      gradient(parameters, seed, rank, step, gradients);
      await policy.onGradients(gradients, enter('onGradients', step));
      for (let i = 0; i < parameters.length; i++) parameters[i] = parameters[i]! - CONTRACT_LR * gradients[i]!;
      const outcome = await policy.onParameters(parameters, enter('onParameters', step));
      if (typeof outcome?.synced !== 'boolean') throw new ContractViolation(`rank ${rank}: onParameters at step ${step} returned ${JSON.stringify(outcome)}, not { synced: boolean }`);
      after[step]![rank] = parameters.slice();
      synced[step]![rank] = outcome.synced;
    }
    if (steps > start.step) await policy.finish?.(parameters, enter('finish', steps - 1));
    inFlightAfterFinish[rank] = group.ranks[rank]!.inFlight;
    status[rank] = `finished after ${group.ranks[rank]!.log.length} exchanges`;
    return parameters;
  };

  const parameters = await untilStalled(
    Array.from({ length: size }, (_, rank) => rankLoop(rank)),
    () => group.progress,
    () => describeStall(status, group.ranks),
  );
  return {
    parameters,
    after: after.slice(start.step),
    synced: synced.slice(start.step),
    logs: group.ranks.map((r) => r.log),
    inFlightAfterFinish,
    inFlightAtCheckpoint,
    ...(run.checkpointAt !== undefined && { checkpoint: { step: run.checkpointAt, ...checkpoint } }),
    policies,
  };
}

/**
 * Await every rank; reject with `describe()` when nothing has moved (`progress` unchanged) for a
 * few event-loop turns while some rank has not finished.
 */
async function untilStalled<T>(ranks: Promise<T>[], progress: () => number, describe: () => string): Promise<T[]> {
  let settled = false;
  const all = Promise.all(ranks).finally(() => {
    settled = true;
  });
  all.catch(() => undefined); // a stalled run never reads it
  const watch = (async () => {
    let last = -1;
    let still = 0;
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return;
      const now = progress();
      still = now === last ? still + 1 : 0;
      last = now;
      if (still >= 5) throw new ContractViolation(describe());
    }
  })();
  await Promise.race([all, watch]);
  return all;
}

function describeStall(status: readonly string[], ranks: readonly { readonly log: readonly RecordedRequest[]; readonly inFlight: number }[]): string {
  const lines = ranks.map((r, rank) => {
    const waiting = r.inFlight > 0 ? `, waiting on exchange #${r.log.length - 1} (${r.log.at(-1)?.signature})` : '';
    return `rank ${rank}: ${status[rank]}, ${r.log.length} exchanges issued${waiting}`;
  });
  return `the ranks stopped meeting in the exchange (on a real network this is a deadlock):\n${lines.join('\n')}`;
}
