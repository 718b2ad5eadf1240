/**
 * The contract every momentum plugin passes, as named cases any test runner can run:
 *
 * ```ts
 * for (const c of momentumContract(slowMo, { options: { beta: 0.6 } })) it(c.name, c.run);
 * ```
 *
 * A momentum plugin runs on every rank, on parameters the sync policy has just made equal, without
 * talking to the others; so it must not pull ranks apart. On a scripted sequence of steps (local
 * updates, a sync every third step, as the trainer calls the hooks) it checks: an inert, frozen
 * spec and a fresh instance per composition; options checked at once; a valid `baseBuffer`; the
 * same output bits on two ranks given the same input (and twice for one seed); finite output;
 * a resumed instance (`init`, then `restore(snapshot())`) continuing bit for bit; snapshots of
 * plain data, and a snapshot with a field missing refused with a `StateError`.
 */
import { Exchange, Momentum, SHARED_RANK, StateError, createRng, type PluginSpec, type Snapshot } from '@syncopate/core';
import { check, expectError } from './compressor-contract-assert.js';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';
import { checkOptionValidation, checkSpecShape, type ContractCase, type InvalidOption } from './plugin-contract-common.js';
import { policyStepContext } from './policy-contract-context.js';
import { recordingExchanges } from './policy-contract-exchange.js';
import { checkConsensus, stateProblem } from './policy-contract-checks.js';
import { CONTRACT_LAYOUT } from './policy-contract-run.js';

/** Options of {@link momentumContract}. */
export interface MomentumContractOptions<O> {
  /** The options the plugin under test is built with. Default: none. */
  readonly options?: O;
  /** Options the factory must refuse with an `OptionError` naming `option`. */
  readonly invalidOptions?: readonly InvalidOption[];
  /** Steps of the scripted run. Default 12 (syncs after steps 2, 5, 8, 11). */
  readonly steps?: number;
  /** The step a resumed instance restarts from. Default 4. */
  readonly resumeAt?: number;
  /**
   * Services its factory resolves besides `Exchange` (a one-rank exchange is provided). Pass a
   * function when a service holds state (an error-feedback memory): it is called for every
   * instance, so instances do not share it.
   */
  readonly services?: readonly CompressorContractService[] | (() => readonly CompressorContractService[]);
}

const SYNC_EVERY = 3;

/** What a scripted run produced: parameters after each step, and the snapshot at `resumeAt`. */
interface Script {
  readonly after: Float32Array[];
  readonly gradients: Float32Array[];
  readonly snapshot?: Snapshot;
  readonly parametersAtResume?: Float32Array;
}

/** The contract cases of the momentum plugin made by `factory(options.options)`. */
export function momentumContract<O>(factory: (options: O) => PluginSpec, options: MomentumContractOptions<O> = {}): ContractCase[] {
  const spec = factory(options.options as O);
  const steps = options.steps ?? 12;
  const resumeAt = options.resumeAt ?? 4;
  const services = () => (typeof options.services === 'function' ? options.services() : (options.services ?? []));
  const make = (): Momentum => instantiate(spec, Momentum, [[Exchange, recordingExchanges(1, () => ({ self: 1, receive: [], send: [] })).ranks[0]!], ...services()]);

  /**
   * Drive the hooks as the trainer does: init; per step onGradients, an SGD step plus drift (the
   * sync policy's local progress), onStep, and onSync after every third step.
   */
  const script = async (rank: number, seed: number, from?: { step: number; parameters: Float32Array; snapshot?: Snapshot }): Promise<Script> => {
    const momentum = make();
    const context = (step: number) => policyStepContext(CONTRACT_LAYOUT, { step, rank, size: 4, seed: 11 });
    const initial = createRng({ seed, rank: SHARED_RANK, step: 0, stream: 'momentum-contract/initial' });
    const parameters = Float32Array.from({ length: CONTRACT_LAYOUT.totalLength }, () => initial.nextNormal());
    momentum.init?.(parameters, context(0));
    if (from) {
      // As the trainer resumes: init on the fresh instance, then the checkpoint's state and parameters.
      if (from.snapshot) momentum.restore!(from.snapshot);
      parameters.set(from.parameters);
    }
    const result: { after: Float32Array[]; gradients: Float32Array[]; snapshot?: Snapshot; parametersAtResume?: Float32Array } = { after: [], gradients: [] };
    for (let step = from?.step ?? 0; step < steps; step++) {
      if (step === resumeAt && !from) {
        result.snapshot = momentum.snapshot?.();
        result.parametersAtResume = parameters.slice();
      }
      const noise = createRng({ seed, rank: SHARED_RANK, step, stream: 'momentum-contract/gradient' });
      const gradients = Float32Array.from(parameters, (x) => x - 1 + 0.3 * noise.nextNormal());
      momentum.onGradients?.(gradients, context(step));
      for (let i = 0; i < parameters.length; i++) parameters[i] = parameters[i]! - 0.1 * gradients[i]!;
      await momentum.onStep?.(parameters, context(step));
      if ((step + 1) % SYNC_EVERY === 0) await momentum.onSync?.(parameters, context(step));
      result.gradients.push(gradients);
      result.after.push(parameters.slice());
    }
    return result;
  };

  const cases: ContractCase[] = [];
  const add = (name: string, run: () => void | Promise<void>) => cases.push({ name, run });

  add('is an inert, frozen momentum spec that builds a fresh plugin per composition', () => {
    checkSpecShape(spec, 'momentum', Momentum);
    const a = make();
    check(a !== make(), 'each composition must get its own instance');
    check(a.name === spec.name, `the plugin's name '${a.name}' differs from its spec's name '${spec.name}'`);
    check(a.baseBuffer === undefined || ['reset', 'average', 'keep'].includes(a.baseBuffer), `baseBuffer '${a.baseBuffer}' is not reset, average or keep`);
    check(typeof a.snapshot === typeof a.restore, 'snapshot and restore come together: implement both or neither');
    const hooks = ['init', 'onGradients', 'onStep', 'onSync'].filter((hook) => typeof (a as unknown as Record<string, unknown>)[hook] === 'function');
    check(hooks.length > 0 || a.baseBuffer !== undefined, 'it implements none of init, onGradients, onStep, onSync, and sets no baseBuffer: it does nothing');
  });

  add('validates its options at once, with an OptionError naming the option', () => {
    checkOptionValidation(factory, options.options, options.invalidOptions);
  });

  add('keeps ranks that agree in agreement, and is deterministic for a seed', async () => {
    const [a, b, again] = await Promise.all([script(0, 5), script(3, 5), script(0, 5)]);
    for (let step = 0; step < steps; step++) {
      checkConsensus([a.after[step]!, b.after[step]!], `after step ${step}, rank 0 vs rank 3 from the same inputs`);
      checkConsensus([a.gradients[step]!, b.gradients[step]!], `gradients of step ${step}, rank 0 vs rank 3 from the same inputs`);
      checkConsensus([a.after[step]!, again.after[step]!], `after step ${step}, two runs with one seed`);
    }
    check(a.after.every((p) => p.every(Number.isFinite)), 'parameters became non-finite');
  });

  add(`continues bit for bit after init and restore in a fresh instance at step ${resumeAt}`, async () => {
    const original = await script(0, 9);
    const resumed = await script(0, 9, { step: resumeAt, parameters: original.parametersAtResume!, ...(original.snapshot && { snapshot: original.snapshot }) });
    resumed.after.forEach((p, i) => checkConsensus([original.after[resumeAt + i]!, p], `after step ${resumeAt + i}, uninterrupted vs resumed`));
  });

  add('snapshots plain data, and refuses a snapshot with a field missing', async () => {
    const { snapshot } = await script(0, 13);
    if (snapshot === undefined) return;
    const problem = stateProblem(snapshot, 'snapshot');
    check(!problem, () => `${problem}: a snapshot holds numbers, strings, booleans, null, typed arrays, arrays and plain objects only`);
    for (const key of Object.keys(snapshot)) {
      const fresh = make();
      fresh.init?.(new Float32Array(CONTRACT_LAYOUT.totalLength), policyStepContext(CONTRACT_LAYOUT, { step: 0 }));
      expectError(() => fresh.restore!(Object.fromEntries(Object.entries(snapshot).filter(([k]) => k !== key))), StateError, `restore of a snapshot without '${key}'`);
    }
  });

  return cases;
}
