import { Momentum, StateError, knownOptions, numberOption, type PluginSpec, type Snapshot } from '@syncopate/core';

/** Options of {@link outerNesterov}. */
export interface OuterNesterovOptions {
  /** Outer learning rate η > 0. Default 0.7 (the DiLoCo paper's). */
  readonly lr?: number;
  /** Outer momentum μ in [0, 1). Default 0.9 (the DiLoCo paper's). */
  readonly momentum?: number;
}

/**
 * The outer optimizer of DiLoCo (Douillard et al., "DiLoCo: Distributed Low-Communication Training
 * of Language Models", 2023): Nesterov momentum applied to the pseudo-gradient of each round.
 * With θ the parameters after the previous sync and x̄ the average the sync policy just produced:
 *
 *   Δ ← θ − x̄,   v ← μ·v + Δ,   θ ← θ − η·(Δ + μ·v)
 *
 * and every rank continues from θ. η = 1, μ = 0 gives back the sync policy's average. Every rank
 * computes the same θ from the same x̄, so ranks stay equal without communicating. The base
 * optimizer's buffers are kept across syncs, as DiLoCo keeps its inner AdamW state. v is kept in
 * float64; θ and v are checkpointed.
 */
export class OuterNesterov implements Momentum {
  readonly name = 'outerNesterov';
  readonly baseBuffer = 'keep' as const;
  private anchor: Float32Array | undefined;
  private velocity: Float64Array | undefined;

  constructor(private readonly options: Required<OuterNesterovOptions>) {}

  init(parameters: Float32Array): void {
    this.anchor = parameters.slice();
    this.velocity = new Float64Array(parameters.length);
  }

  onSync(parameters: Float32Array): void {
    const { anchor, velocity } = this.state(parameters.length);
    const { lr, momentum } = this.options;
    for (let i = 0; i < parameters.length; i++) {
      const delta = anchor[i]! - parameters[i]!;
      velocity[i] = momentum * velocity[i]! + delta;
      anchor[i] = anchor[i]! - lr * (delta + momentum * velocity[i]!);
      parameters[i] = anchor[i]!;
    }
  }

  snapshot(): Snapshot {
    const { anchor, velocity } = this.state();
    return { anchor: anchor.slice(), velocity: velocity.slice() };
  }

  restore(snapshot: Snapshot): void {
    const { anchor, velocity } = snapshot;
    if (!(anchor instanceof Float32Array) || !(velocity instanceof Float64Array) || anchor.length !== velocity.length) {
      throw new StateError("outerNesterov: a snapshot needs 'anchor' (Float32Array) and 'velocity' (Float64Array) of one length");
    }
    if (this.anchor && anchor.length !== this.anchor.length) throw new StateError(`outerNesterov: the snapshot holds ${anchor.length} parameters, the model has ${this.anchor.length}`);
    this.anchor = anchor.slice();
    this.velocity = velocity.slice();
  }

  private state(length?: number): { anchor: Float32Array; velocity: Float64Array } {
    if (!this.anchor || !this.velocity) throw new StateError('outerNesterov: init(parameters) must run before the first sync');
    if (length !== undefined && length !== this.anchor.length) throw new StateError(`outerNesterov: got ${length} parameters, init saw ${this.anchor.length}`);
    return { anchor: this.anchor, velocity: this.velocity };
  }
}

/**
 * DiLoCo's outer Nesterov momentum, on top of a sync policy that averages (usually local SGD).
 *
 * @example
 * ```ts
 * plugins: [localSgd({ period: 50, stream: 'delta' }), outerNesterov({ lr: 0.7, momentum: 0.9 })]
 * ```
 */
export function outerNesterov(options: OuterNesterovOptions = {}): PluginSpec<Required<OuterNesterovOptions>> {
  knownOptions('outerNesterov', options, ['lr', 'momentum']);
  const resolved = Object.freeze({
    lr: numberOption('outerNesterov', 'lr', options.lr, { above: 0 }, 0.7),
    momentum: numberOption('outerNesterov', 'momentum', options.momentum, { min: 0, below: 1 }, 0.9),
  });
  return Object.freeze<PluginSpec<Required<OuterNesterovOptions>>>({
    kind: 'momentum',
    name: 'outerNesterov',
    options: resolved,
    register(registrar) {
      registrar.register(Momentum, { useFactory: () => new OuterNesterov(resolved) });
    },
  });
}
