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
} from '@syncopate/core';

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
 * Numerics: x₀ − αγu is evaluated as x̄ + (1 − α)(x₀ − x̄) − αγβu_old (the same value in exact
 * arithmetic), in float64, so α = 1, β = 0 returns x̄ bit for bit. u is kept in float64.
 */
export class SlowMo implements Momentum {
  readonly name = 'slowMo';
  readonly baseBuffer: BaseBufferPolicy;
  private anchor: Float32Array | undefined;
  private slow: Float64Array | undefined;

  constructor(private readonly options: Required<SlowMoOptions>) {
    this.baseBuffer = options.baseBuffer;
  }

  init(parameters: Float32Array): void {
    this.anchor = parameters.slice();
    this.slow = new Float64Array(parameters.length);
  }

  onSync(parameters: Float32Array, ctx: StepContext): void {
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
 * SlowMo on top of the composed sync policy (usually `localSgd`).
 *
 * @example
 * ```ts
 * plugins: [localSgd({ period: 12 }), slowMo({ alpha: 1, beta: 0.6, baseBuffer: 'reset' })]
 * ```
 */
export function slowMo(options: SlowMoOptions = {}): PluginSpec<Required<SlowMoOptions>> {
  knownOptions('slowMo', options, ['alpha', 'beta', 'baseBuffer']);
  const resolved = Object.freeze({
    alpha: numberOption('slowMo', 'alpha', options.alpha, { above: 0 }, 1),
    beta: numberOption('slowMo', 'beta', options.beta, { min: 0, below: 1 }, 0.5),
    baseBuffer: choiceOption('slowMo', 'baseBuffer', options.baseBuffer, ['reset', 'average', 'keep'] as const, 'reset'),
  });
  const spec: PluginSpec<Required<SlowMoOptions>> = {
    kind: 'momentum',
    name: 'slowMo',
    options: resolved,
    register(registrar) {
      registrar.register(Momentum, { useFactory: () => new SlowMo(resolved) });
    },
  };
  return Object.freeze(spec);
}
