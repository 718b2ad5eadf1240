import {
  Momentum,
  OptionError,
  StateError,
  booleanOption,
  choiceOption,
  formatValue,
  knownOptions,
  numberOption,
  type BaseBufferPolicy,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { exactAverageSource, needsExactAverage, type OwnExactAverage } from './internal/outer-average.js';
import { float32Field, float64Field, requireInit } from './internal/state-fields.js';

const NAME = 'blockwiseModelUpdateFiltering';

/** Options of {@link blockwiseModelUpdateFiltering}. */
export interface BlockwiseModelUpdateFilteringOptions {
  /**
   * Block momentum η in [0, 1), or `'auto'` (the default) for Chen & Huo's choice η = 1 − 1/m
   * with m ranks (0 on one rank, 0.75 on four, 0.875 on eight).
   */
  readonly blockMomentum?: number | 'auto';
  /** Block learning rate ζ > 0. Default 1 (the paper's, CNTK's and fairseq's). */
  readonly blockLr?: number;
  /**
   * Nesterov block momentum (NBM): the next block starts from the filtered model plus η·Δ.
   * Default true (CNTK's default); false is classical block momentum (CBM).
   */
  readonly nesterov?: boolean;
  /**
   * What the base optimizer's buffers become after each block: `reset` (default; CNTK's
   * `resetSGDMomentumAfterAggregation`), `average` over ranks, or `keep`.
   */
  readonly baseBuffer?: BaseBufferPolicy;
  /**
   * Block length in steps when the sync policy gossips (SGP, D-PSGD) instead of averaging exactly:
   * BMUF then takes the block's exact average itself (an uncompressed allreduce) every `period`
   * steps before filtering. An integer ≥ 1. Default 48 (the SlowMo paper's τ over SGP; classical
   * BMUF there is SlowMo at a constant learning rate). Not used with policies that average
   * exactly (local SGD, …): a block ends at each of their syncs.
   */
  readonly period?: number;
}

/** {@link BlockwiseModelUpdateFilteringOptions} with defaults filled in. */
export type ResolvedBlockwiseModelUpdateFilteringOptions = Required<BlockwiseModelUpdateFilteringOptions>;

/**
 * Blockwise model-update filtering, BMUF (Chen & Huo, "Scalable training of deep learning
 * machines by incremental block training with intra-block parallel optimization and blockwise
 * model-update filtering", ICASSP 2016), run at every sync point of the composed policy
 * (a block = the local steps between two exact averages). With x₀ the point the block started
 * from and x̄ the averaged parameters at its end:
 *
 *   G ← x₀ − x̄             (the block's averaged model update, as a descent direction)
 *   Δ ← η·Δ + ζ·G           (the filter: block momentum η, block learning rate ζ; Δ starts at 0)
 *   x ← x₀ − Δ              (classical block momentum)
 *   x ← x₀ − Δ − η·Δ        (Nesterov block momentum)
 *   x₀ ← x                  (every rank starts the next block from x)
 *
 * Convention: the *mean* form of the paper and fairseq (G is an average over ranks, the filter
 * gain is ζ). CNTK writes Δ ← η·Δ + (1 − η)·ζ_c·S with S the *sum* over m ranks; the two agree
 * for η = 1 − 1/m, and ζ = (1 − η)·m·ζ_c converts otherwise. The Nesterov step moves the reference
 * point, as in CNTK and fairseq. With η = 0 and ζ = 1 the block's average is kept unchanged: plain
 * local SGD. Classical BMUF with η = β and ζ = α is SlowMo at a constant learning rate.
 *
 * Blocks end at the syncs of a policy that averages exactly (`Capabilities.exactAverage`); over
 * gossip (`Capabilities.restartable`) BMUF takes the exact average itself every `period` steps and
 * the policy continues from the filtered model. Other policies are refused by `createTrainer`.
 *
 * Numerics: x is evaluated as x̄ + (1 − ζ)·G − η·Δ_old (− η·Δ for NBM), equal in exact arithmetic,
 * in float64 with Δ kept in float64; so η = 0, ζ = 1 returns x̄ bit for bit.
 */
export class BlockwiseModelUpdateFiltering implements Momentum {
  readonly name = NAME;
  readonly baseBuffer: BaseBufferPolicy;
  private start: Float32Array | undefined;
  private filtered: Float64Array | undefined;
  private blockMomentum: number | undefined;

  constructor(
    private readonly options: ResolvedBlockwiseModelUpdateFilteringOptions,
    /** Set when BMUF takes the exact average itself (gossip policies). */
    private readonly ownAverage?: OwnExactAverage,
  ) {
    this.baseBuffer = options.baseBuffer;
    if (options.blockMomentum !== 'auto') this.blockMomentum = options.blockMomentum;
  }

  /** The block momentum η in force: the option, or 1 − 1/m once `init` has seen m ranks. */
  get eta(): number | undefined {
    return this.blockMomentum;
  }

  init(parameters: Float32Array, ctx: StepContext): void {
    this.start = parameters.slice();
    this.filtered = new Float64Array(parameters.length);
    this.blockMomentum ??= 1 - 1 / ctx.size;
  }

  /** Over gossip: the block's exact average after every `period` steps (the trainer then calls `onSync`). */
  onStep(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome | undefined> | undefined {
    return this.ownAverage?.onStep(parameters, ctx);
  }

  onSync(parameters: Float32Array, ctx: StepContext): void | Promise<void> {
    const start = requireInit(NAME, this.start, parameters.length, this.start?.length);
    const filtered = this.filtered!;
    const eta = this.blockMomentum!;
    const { blockLr: zeta, nesterov } = this.options;
    for (let i = 0; i < parameters.length; i++) {
      const averaged = parameters[i]!;
      const update = start[i]! - averaged;
      const previous = filtered[i]!;
      const next = eta * previous + zeta * update;
      filtered[i] = next;
      const classical = averaged + (1 - zeta) * update - eta * previous;
      start[i] = nesterov ? classical - eta * next : classical;
      parameters[i] = start[i]!;
    }
    return this.ownAverage?.restart(parameters, ctx);
  }

  snapshot(): Snapshot {
    const start = requireInit(NAME, this.start);
    return { start: start.slice(), filtered: this.filtered!.slice(), blockMomentum: this.blockMomentum! };
  }

  restore(snapshot: Snapshot): void {
    const length = this.start?.length;
    const start = float32Field(NAME, snapshot, 'start', length);
    const filtered = float64Field(NAME, snapshot, 'filtered', start.length);
    const eta = snapshot.blockMomentum;
    if (typeof eta !== 'number' || !(eta >= 0 && eta < 1)) {
      throw new StateError(`${NAME}: snapshot field 'blockMomentum' must be a number in [0, 1), got ${formatValue(eta)}`);
    }
    this.start = start;
    this.filtered = filtered;
    this.blockMomentum = eta;
  }
}

function blockMomentumOption(value: unknown): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  if (typeof value !== 'number') throw new OptionError(NAME, 'blockMomentum', `must be 'auto' or a finite number >= 0 < 1, got ${formatValue(value)}`);
  return numberOption(NAME, 'blockMomentum', value, { min: 0, below: 1 });
}

/**
 * BMUF on top of the composed sync policy (local SGD in the paper): block momentum and block
 * learning rate applied to each block's averaged model update.
 *
 * @example
 * ```ts
 * plugins: [localSgd({ period: 16 }), blockwiseModelUpdateFiltering({ blockMomentum: 0.875, nesterov: true })],
 * optimizer: momentumSgd({ momentum: 0.9 }),
 * ```
 */
export function blockwiseModelUpdateFiltering(
  options: BlockwiseModelUpdateFilteringOptions = {},
): PluginSpec<ResolvedBlockwiseModelUpdateFilteringOptions> {
  knownOptions(NAME, options, ['blockMomentum', 'blockLr', 'nesterov', 'baseBuffer', 'period']);
  const resolved: ResolvedBlockwiseModelUpdateFilteringOptions = Object.freeze({
    blockMomentum: blockMomentumOption(options.blockMomentum),
    blockLr: numberOption(NAME, 'blockLr', options.blockLr, { above: 0 }, 1),
    nesterov: booleanOption(NAME, 'nesterov', options.nesterov, true),
    baseBuffer: choiceOption(NAME, 'baseBuffer', options.baseBuffer, ['reset', 'average', 'keep'] as const, 'reset'),
    period: numberOption(NAME, 'period', options.period, { min: 1, integer: true }, 48),
  });
  const spec: PluginSpec<ResolvedBlockwiseModelUpdateFilteringOptions> = {
    kind: 'momentum',
    name: NAME,
    options: resolved,
    requires: Object.freeze([needsExactAverage(NAME)]),
    register(registrar) {
      registrar.register(Momentum, { useFactory: (resolver) => new BlockwiseModelUpdateFiltering(resolved, exactAverageSource(NAME, resolved.period, resolver)) });
    },
  };
  return Object.freeze(spec);
}
