import { Momentum, knownOptions, numberOption, type PluginSpec, type Snapshot, type StepContext } from '@syncopate/core';
import { float32Field, requireInit } from './internal/state-fields.js';

const NAME = 'lookahead';

/** Options of {@link lookahead}. */
export interface LookaheadOptions {
  /** Slow step size α in (0, 1]. Default 0.5 (the paper's default). */
  readonly alpha?: number;
  /** k: fast (base-optimizer) steps per slow update, an integer ≥ 1. Default 5 (the paper's default). */
  readonly steps?: number;
}

/** {@link LookaheadOptions} with defaults filled in. */
export type ResolvedLookaheadOptions = Required<LookaheadOptions>;

/**
 * Lookahead (Zhang, Lucas, Hinton & Ba, "Lookahead Optimizer: k steps forward, 1 step back",
 * NeurIPS 2019). The base optimizer moves the fast weights θ for k steps; then the slow weights
 * φ take one step towards them and the fast weights restart from there:
 *
 *   after every global step t with (t + 1) mod k = 0:   φ ← φ + α·(θ − φ),   θ ← φ.
 *
 * φ starts at the initial parameters. α = 1 gives the base optimizer back exactly. The base
 * optimizer's buffers (momentum, Adam moments) are kept across slow updates, as in the paper's
 * experiments. In a distributed run each rank applies the rule to its own parameters, counting the
 * global step, so ranks that are identical (BSP) stay identical; the SlowMo paper's Corollary 2
 * analyses exactly this Lookahead over AR-SGD.
 *
 * Numerics: the slow step is evaluated as θ + (1 − α)·(φ − θ) in float64, so α = 1 returns θ
 * bit for bit.
 */
export class Lookahead implements Momentum {
  readonly name = NAME;
  private slow: Float32Array | undefined;

  constructor(private readonly options: ResolvedLookaheadOptions) {}

  init(parameters: Float32Array): void {
    this.slow = parameters.slice();
  }

  onStep(parameters: Float32Array, ctx: StepContext): void {
    const slow = requireInit(NAME, this.slow, parameters.length, this.slow?.length);
    if ((ctx.step + 1) % this.options.steps !== 0) return;
    const keep = 1 - this.options.alpha;
    for (let i = 0; i < parameters.length; i++) {
      const fast = parameters[i]!;
      slow[i] = fast + keep * (slow[i]! - fast);
      parameters[i] = slow[i]!;
    }
  }

  snapshot(): Snapshot {
    return { slow: requireInit(NAME, this.slow).slice() };
  }

  restore(snapshot: Snapshot): void {
    this.slow = float32Field(NAME, snapshot, 'slow', this.slow?.length);
  }
}

/**
 * Lookahead around the base optimizer: every k steps, pull the slow weights a fraction α of the
 * way to the fast ones and restart from there.
 *
 * @example
 * ```ts
 * createTrainer({ ..., plugins: [bsp(), lookahead({ alpha: 0.5, steps: 5 })], optimizer: adam() });
 * ```
 */
export function lookahead(options: LookaheadOptions = {}): PluginSpec<ResolvedLookaheadOptions> {
  knownOptions(NAME, options, ['alpha', 'steps']);
  const resolved: ResolvedLookaheadOptions = Object.freeze({
    alpha: numberOption(NAME, 'alpha', options.alpha, { above: 0, max: 1 }, 0.5),
    steps: numberOption(NAME, 'steps', options.steps, { min: 1, integer: true }, 5),
  });
  const spec: PluginSpec<ResolvedLookaheadOptions> = {
    kind: 'momentum',
    name: NAME,
    options: resolved,
    register(registrar) {
      registrar.register(Momentum, { useFactory: () => new Lookahead(resolved) });
    },
  };
  return Object.freeze(spec);
}
