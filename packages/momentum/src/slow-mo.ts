import {
  Momentum,
  OptionError,
  StateError,
  choiceOption,
  knownOptions,
  numberOption,
  type BaseBufferPolicy,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { exactAverageSource, needsExactAverage, type OwnExactAverage } from './internal/outer-average.js';

/** Options of {@link slowMo}. */
export interface SlowMoOptions {
  /** Slow learning rate α > 0. Default 1 ("consistently the best" in the paper). */
  readonly alpha?: number;
  /** Slow momentum factor β in [0, 1). Default 0.5 (fairscale's default; the paper tunes 0.4–0.8). */
  readonly beta?: number;
  /**
   * What happens to the base optimizer's buffers at each outer step (Algorithm 1, line 2):
   * `reset` zeroes them (the paper's choice for SGD and Nesterov bases, the default), `average`
   * averages them over ranks (one more exchange per buffer), `keep` leaves them (the paper's
   * choice for Adam).
   */
  readonly baseBuffer?: BaseBufferPolicy;
  /**
   * τ: inner steps between two outer steps when the sync policy does not average exactly itself
   * but gossips (SGP, D-PSGD): SlowMo then takes the exact average (an uncompressed allreduce)
   * every τ steps before its update, as in the paper's SGP and OSGP experiments. An integer ≥ 1.
   * Default 48 (the paper's τ for SGP and OSGP on ImageNet and WMT'16). Not used with policies
   * that average exactly (local SGD, BSP, …): the outer step runs at their syncs.
   */
  readonly period?: number;
}

/**
 * Slow momentum (Wang, Tantia, Ballas & Rabbat, "SlowMo: Improving communication-efficient
 * distributed SGD with slow momentum", ICLR 2020), an outer optimizer run at every sync point of
 * the base algorithm (local SGD, SGP, …). With x₀ the outer iterate, x̄ the exactly averaged
 * parameters after the inner steps and γ the base learning rate in force:
 *
 *   u ← β·u + (x₀ − x̄)/γ,    x₀ ← x₀ − α·γ·u,    and every rank continues from x₀.
 *
 * u starts at zero and is never communicated: every rank computes it from the same x̄. The 1/γ
 * scaling keeps u invariant to learning-rate schedules. α = 1, β = 0 gives back the base
 * algorithm exactly; with local SGD and β > 0 it is BMUF (Chen & Huo, 2016).
 *
 * The sync points: with a policy that averages exactly (`Capabilities.exactAverage`: BSP, local
 * SGD, post-local SGD, ADPSGD, HPSGD with delay 0), each of its syncs. Over gossip
 * (`Capabilities.restartable`: SGP, D-PSGD), which never averages exactly, SlowMo takes the
 * Exact-Average of Algorithm 1 itself after every τ = `period` steps, then the policy continues
 * from x₀: the paper's SGP-SlowMo. Other policies are refused by `createTrainer`.
 *
 * Numerics: x₀ − αγu is evaluated as x̄ + (1 − α)(x₀ − x̄) − αγβu_old (the same value in exact
 * arithmetic), in float64, so α = 1, β = 0 returns x̄ bit for bit. u is kept in float64.
 */
export class SlowMo implements Momentum {
  readonly name = 'slowMo';
  readonly baseBuffer: BaseBufferPolicy;
  private anchor: Float32Array | undefined;
  private slow: Float64Array | undefined;

  constructor(
    private readonly options: Required<SlowMoOptions>,
    /** Set when SlowMo takes the exact average itself (gossip policies). */
    private readonly ownAverage?: OwnExactAverage,
  ) {
    this.baseBuffer = options.baseBuffer;
  }

  init(parameters: Float32Array): void {
    this.anchor = parameters.slice();
    this.slow = new Float64Array(parameters.length);
  }

  /** Over gossip: the exact average after every τ steps (the trainer then calls `onSync`). */
  onStep(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome | undefined> | undefined {
    return this.ownAverage?.onStep(parameters, ctx);
  }

  onSync(parameters: Float32Array, ctx: StepContext): void | Promise<void> {
    const { anchor, slow } = this.state(parameters.length);
    const lr = ctx.lr;
    if (!(lr > 0) || !Number.isFinite(lr)) {
      throw new OptionError('slowMo', 'lr', `needs the base learning rate γ > 0 at each sync (it divides by γ), got ${lr} at step ${ctx.step}`);
    }
    const { alpha, beta } = this.options;
    for (let i = 0; i < parameters.length; i++) {
      const averaged = parameters[i]!;
      const drift = anchor[i]! - averaged;
      const previous = slow[i]!;
      slow[i] = beta * previous + drift / lr;
      const next = averaged + (1 - alpha) * drift - alpha * lr * beta * previous;
      anchor[i] = next;
      parameters[i] = anchor[i]!;
    }
    return this.ownAverage?.restart(parameters, ctx);
  }

  snapshot(): Snapshot {
    const { anchor, slow } = this.state();
    return { anchor: anchor.slice(), slow: slow.slice() };
  }

  restore(snapshot: Snapshot): void {
    const { anchor, slow } = snapshot;
    if (!(anchor instanceof Float32Array) || !(slow instanceof Float64Array) || anchor.length !== slow.length) {
      throw new StateError("slowMo: a snapshot needs 'anchor' (Float32Array) and 'slow' (Float64Array) of one length");
    }
    if (this.anchor && anchor.length !== this.anchor.length) {
      throw new StateError(`slowMo: the snapshot holds ${anchor.length} parameters, the model has ${this.anchor.length}`);
    }
    this.anchor = anchor.slice();
    this.slow = slow.slice();
  }

  private state(length?: number): { anchor: Float32Array; slow: Float64Array } {
    if (!this.anchor || !this.slow) throw new StateError('slowMo: init(parameters) must run before the first sync');
    if (length !== undefined && length !== this.anchor.length) {
      throw new StateError(`slowMo: got ${length} parameters, init saw ${this.anchor.length}`);
    }
    return { anchor: this.anchor, slow: this.slow };
  }
}

/**
 * SlowMo on top of the composed sync policy: at the syncs of a policy that averages exactly
 * (`localSgd`, …), or every `period` steps over gossip (`stochasticGradientPush`, …).
 *
 * @example
 * ```ts
 * plugins: [localSgd({ period: 12 }), slowMo({ alpha: 1, beta: 0.6, baseBuffer: 'reset' })]
 * plugins: [onePeerExponentialGraph(), pushSum(), stochasticGradientPush(), slowMo({ beta: 0.6, period: 48 })]
 * ```
 */
export function slowMo(options: SlowMoOptions = {}): PluginSpec<Required<SlowMoOptions>> {
  knownOptions('slowMo', options, ['alpha', 'beta', 'baseBuffer', 'period']);
  const resolved = Object.freeze({
    alpha: numberOption('slowMo', 'alpha', options.alpha, { above: 0 }, 1),
    beta: numberOption('slowMo', 'beta', options.beta, { min: 0, below: 1 }, 0.5),
    baseBuffer: choiceOption('slowMo', 'baseBuffer', options.baseBuffer, ['reset', 'average', 'keep'] as const, 'reset'),
    period: numberOption('slowMo', 'period', options.period, { min: 1, integer: true }, 48),
  });
  const spec: PluginSpec<Required<SlowMoOptions>> = {
    kind: 'momentum',
    name: 'slowMo',
    options: resolved,
    requires: Object.freeze([needsExactAverage('slowMo')]),
    register(registrar) {
      registrar.register(Momentum, { useFactory: (resolver) => new SlowMo(resolved, exactAverageSource('slowMo', resolved.period, resolver)) });
    },
  };
  return Object.freeze(spec);
}
