/**
 * The contract every sync policy passes, as named cases any test runner can run:
 *
 * ```ts
 * for (const c of syncPolicyContract(localSgd, { options: { period: 3 } })) it(c.name, c.run);
 * ```
 *
 * It checks the obligations the trainer relies on, whatever the policy does: an inert, frozen
 * spec that makes a fresh policy per composition; options checked at once with an `OptionError`
 * naming the option; and, on 4 in-process ranks: the same exchanges in the same order on every
 * rank (recorded per rank and compared), the step's AbortSignal handed to every exchange, the
 * same `synced` on every rank, nothing in flight after `finish` (or after `settle` at a pause),
 * ranks brought closer together than without communication, equal parameters where the policy
 * promises consensus, the same bits twice for one seed, a resumed run (fresh instances,
 * `restore(snapshot())`) continuing bit for bit, snapshots of plain data, and a run on one rank.
 */
import { Exchange, Scheduler, StateError, SyncPolicy, Topology, type PluginSpec, type Snapshot } from '@syncopate/core';
import { recordingExchanges } from './policy-contract-exchange.js';
import { check, expectError } from './compressor-contract-assert.js';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';
import { checkOptionValidation, checkSpecShape, type ContractCase, type InvalidOption } from './plugin-contract-common.js';
import { contractRing, contractScheduler, contractStepContext, initialParameters, runPolicy, type ContractRunResult } from './policy-contract-run.js';
import { checkConsensus, checkSameLogs, spread, stateProblem, stepOf } from './policy-contract-checks.js';

/** One named check of a contract. */
export type SyncPolicyContractCase = ContractCase;

/** Options of {@link syncPolicyContract}. */
export interface SyncPolicyContractOptions<O> {
  /** The options the policy under test is built with. Default: none (the factory's defaults). */
  readonly options?: O;
  /** Options the factory must refuse with an `OptionError` naming `option`. */
  readonly invalidOptions?: readonly InvalidOption[];
  /**
   * What the policy promises about the ranks' parameters: `sync` — equal after every step that
   * reports `synced` and after `finish` (BSP, local SGD); `finish` — equal after `finish` only;
   * `none` — no promise (gossip). Default `finish`.
   */
  readonly consensus?: 'sync' | 'finish' | 'none';
  /** Ranks of the multi-rank runs. Default 4. */
  readonly ranks?: number;
  /** Steps of each run. Default 13. */
  readonly steps?: number;
  /** The step a resumed run restarts from. Default 5. */
  readonly resumeAt?: number;
  /** Run seed. Default 7. */
  readonly seed?: number;
  /**
   * Services its factory resolves besides `Exchange`, `Scheduler` and `Topology` (which the
   * contract provides: an in-memory exchange, a two-bucket plan sent in reverse, a ring).
   */
  readonly services?: (rank: number, size: number) => readonly CompressorContractService[];
}

/** A policy that never communicates: the baseline that every policy must beat at agreeing. */
const noCommunication: PluginSpec = Object.freeze<PluginSpec>({
  kind: 'sync-policy',
  name: 'noCommunication',
  options: Object.freeze({}),
  register(registrar) {
    registrar.register(SyncPolicy, {
      useFactory: () => ({ name: 'noCommunication', onGradients: async () => undefined, onParameters: async () => ({ synced: false }) }),
    });
  },
});

/**
 * The contract cases of the sync policy made by `factory(options.options)`.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * describe('localSgd', () => {
 *   for (const c of syncPolicyContract(localSgd, { options: { period: 3 }, consensus: 'sync' })) it(c.name, c.run);
 * });
 * ```
 */
export function syncPolicyContract<O>(factory: (options: O) => PluginSpec, options: SyncPolicyContractOptions<O> = {}): SyncPolicyContractCase[] {
  const ranks = options.ranks ?? 4;
  const steps = options.steps ?? 13;
  const resumeAt = options.resumeAt ?? 5;
  const seed = options.seed ?? 7;
  const consensus = options.consensus ?? 'finish';
  const spec = factory(options.options as O);
  const services = options.services;
  /** A policy outside a run, with an exchange of its own (one rank: every request completes at once). */
  const make = (rank = 0, size = 1): SyncPolicy =>
    instantiate(spec, SyncPolicy, [
      [Exchange, recordingExchanges(1, () => contractRing(1).neighbourhood(0, 0)).ranks[0]!],
      [Scheduler, contractScheduler],
      [Topology, contractRing(size)],
      ...(services?.(rank, size) ?? []),
    ]);
  const base = { spec, size: ranks, steps, seed, ...(services && { services }) };
  let main: Promise<ContractRunResult> | undefined;
  const mainRun = () => (main ??= runPolicy({ ...base, checkpointAt: resumeAt }));
  const cases: SyncPolicyContractCase[] = [];
  const add = (name: string, run: () => void | Promise<void>) => cases.push({ name, run });

  add('is an inert, frozen sync-policy spec that builds a fresh policy per composition', () => {
    checkSpecShape(spec, 'sync-policy', SyncPolicy);
    const a = make();
    const b = make();
    check(a !== b, 'each composition must get its own policy instance');
    check(a.name === spec.name, `the policy's name '${a.name}' differs from its spec's name '${spec.name}'`);
    check(typeof a.onGradients === 'function' && typeof a.onParameters === 'function', 'a policy must implement onGradients and onParameters');
    check(typeof a.snapshot === typeof a.restore, 'snapshot and restore come together: implement both or neither');
  });

  add('validates its options at once, with an OptionError naming the option', () => {
    checkOptionValidation(factory, options.options, options.invalidOptions);
  });

  add(`makes the same exchanges, in the same order, on every one of ${ranks} ranks`, async () => {
    checkSameLogs((await mainRun()).logs);
  });

  add("hands the step's AbortSignal to every exchange", async () => {
    for (const [rank, log] of (await mainRun()).logs.entries()) {
      const missing = log.find((r) => !r.forwardedSignal);
      check(!missing, () => `rank ${rank}: exchange ${missing!.signature} in ${missing!.issuedIn} was not given ctx.signal (pass { signal: ctx.signal } to exchange.run)`);
    }
  });

  add('reports the same synced outcome on every rank at every step', async () => {
    for (const [step, outcomes] of (await mainRun()).synced.entries()) {
      check(outcomes.every((s) => s === outcomes[0]), `step ${step}: ranks report synced = ${outcomes.join(', ')}; momentum runs its outer step only where synced, so they must agree`);
    }
  });

  add('leaves no exchange in flight after finish, nor after settle when a run pauses', async () => {
    const run = await mainRun();
    for (const [rank, n] of run.inFlightAfterFinish.entries()) {
      check(n === 0, `rank ${rank}: ${n} exchange(s) still in flight after finish; finish must await everything it started`);
    }
    for (const [rank, n] of run.inFlightAtCheckpoint.entries()) {
      check(n === 0, `rank ${rank}: ${n} exchange(s) still in flight when the run paused after step ${resumeAt - 1}; implement settle() to await them`);
    }
  });

  add('brings the ranks closer together than training without communication', async () => {
    const alone = await runPolicy({ ...base, spec: noCommunication });
    const mine = spread((await mainRun()).parameters);
    const baseline = spread(alone.parameters);
    check(mine < baseline, `final spread across ranks ${mine.toExponential(3)} is not below ${baseline.toExponential(3)}, the spread without any communication`);
  });

  if (consensus !== 'none') {
    const when = consensus === 'sync' ? 'after every synced step and after finish' : 'after finish';
    add(`leaves every rank with the same parameters ${when}`, async () => {
      const run = await mainRun();
      if (consensus === 'sync') {
        for (const [step, after] of run.after.entries()) if (run.synced[step]![0]) checkConsensus(after, `after synced step ${step}`);
      }
      checkConsensus(run.parameters, 'after finish');
    });
  }

  add('gives the same bits twice for one seed', async () => {
    const first = await mainRun();
    const again = await runPolicy({ ...base });
    for (let rank = 0; rank < ranks; rank++) checkConsensus([first.parameters[rank]!, again.parameters[rank]!], `rank ${rank}, two runs with one seed`);
    checkSameLogs([first.logs[0]!, again.logs[0]!]);
  });

  add(`continues bit for bit in fresh instances restored from a checkpoint after step ${resumeAt}`, async () => {
    const original = await mainRun();
    const resumed = await runPolicy({ ...base, from: original.checkpoint! });
    for (let rank = 0; rank < ranks; rank++) {
      const later = original.logs[rank]!.filter((r) => stepOf(r.issuedIn) >= resumeAt && !r.issuedIn.startsWith('init'));
      const again = resumed.logs[rank]!.filter((r) => !r.issuedIn.startsWith('init'));
      checkSameLogs([later, again], ['uninterrupted', 'resumed']);
      for (const [i, after] of resumed.after.entries()) {
        checkConsensus([original.after[resumeAt + i]![rank]!, after[rank]!], `rank ${rank} after step ${resumeAt + i}, uninterrupted vs resumed`);
        check(original.synced[resumeAt + i]![rank] === resumed.synced[i]![rank], `rank ${rank}, step ${resumeAt + i}: synced differs after resuming`);
      }
      checkConsensus([original.parameters[rank]!, resumed.parameters[rank]!], `rank ${rank} after finish, uninterrupted vs resumed`);
    }
  });

  add('snapshots plain data, and refuses a snapshot with a field missing', async () => {
    const snapshot = (await mainRun()).checkpoint!.snapshots![0];
    if (snapshot === undefined) return;
    const problem = stateProblem(snapshot, 'snapshot');
    check(!problem, () => `${problem}: a snapshot holds numbers, strings, booleans, null, typed arrays, arrays and plain objects only`);
    for (const key of Object.keys(snapshot)) {
      const policy = make(0, ranks);
      await policy.init?.(initialParameters(seed), contractStepContext(0, 0, ranks, seed));
      const partial: Snapshot = Object.fromEntries(Object.entries(snapshot).filter(([k]) => k !== key));
      expectError(() => policy.restore!(partial), StateError, `restore of a snapshot without '${key}'`);
    }
  });

  add('runs on a single rank', async () => {
    const run = await runPolicy({ ...base, size: 1 });
    check(run.inFlightAfterFinish[0] === 0, 'an exchange was left in flight on one rank');
    check(run.parameters[0]!.every(Number.isFinite), 'parameters became non-finite on one rank');
  });

  return cases;
}
