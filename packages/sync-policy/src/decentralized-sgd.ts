import {
  Capabilities,
  Exchange,
  StateError,
  SyncPolicy,
  booleanOption,
  knownOptions,
  type PluginSpec,
  type Snapshot,
  type StepContext,
  type SyncOutcome,
} from '@syncopate/core';
import { callOptions } from './internal/call-options.js';
import { InFlight } from './internal/in-flight.js';
import { StateFields } from './internal/state-fields.js';
import { GUARANTEES } from './guarantees.js';

/** Options of {@link decentralizedSgd}. */
export interface DecentralizedSgdOptions {
  /**
   * At the end of training, average the parameters exactly over all ranks once, so every rank
   * holds the same final model (the average x̄ the paper's analysis is about). Default true.
   */
  readonly finalAverage?: boolean;
}

/**
 * Decentralized parallel SGD, D-PSGD (Lian, Zhang, Zhang, Hsieh, Zhang & Liu, "Can decentralized
 * algorithms outperform centralized algorithms? A case study for decentralized parallel
 * stochastic gradient descent", NeurIPS 2017). Every step, every rank mixes its parameters with
 * its neighbours' through the topology's doubly-stochastic weights W and applies its own update
 * computed at its own (unmixed) parameters:
 *
 *   x_{k+1,i} = Σ_j W_ij x_{k,j} + u_{k,i},   u_{k,i} = the base optimizer's step at x_{k,i}
 *
 * (u = −γ∇F_i(x_{k,i}) for plain SGD). Because W is doubly stochastic, the mean over ranks moves
 * exactly by the mean update — the average is preserved by the gossip — while the spread between
 * ranks contracts with the spectral gap of W.
 *
 * As in the paper, the gossip of x_k overlaps the gradient computation at x_k: the exchange
 * (pattern `neighbours`, stream `parameter`) of a copy of x_k starts at the end of step k − 1 and
 * is awaited after the optimizer step of step k. Parameters changed by a momentum plugin after
 * the copy was taken keep their change locally and are mixed one step later.
 */
export class DecentralizedSgd implements SyncPolicy {
  readonly name = 'decentralizedSgd';
  private sent: Float32Array | undefined;
  private mixing: Float32Array | undefined;
  private inFlight: InFlight | undefined;

  constructor(
    private readonly options: Required<DecentralizedSgdOptions>,
    private readonly exchange: Exchange,
  ) {}

  init(parameters: Float32Array): void {
    this.sent = parameters.slice();
    this.mixing = parameters.slice();
    this.inFlight = undefined;
  }

  async onGradients(): Promise<void> {}

  async onParameters(parameters: Float32Array, ctx: StepContext): Promise<SyncOutcome> {
    const { sent, mixing } = this.buffers(parameters);
    // Step 0 (or the first step after init): nothing was started at the end of a previous step.
    const inFlight = this.inFlight ?? this.start(sent, ctx.step, ctx);
    await inFlight.wait();
    for (let i = 0; i < parameters.length; i++) parameters[i] = mixing[i]! + (parameters[i]! - sent[i]!);
    this.start(parameters, ctx.step + 1, ctx);
    return { synced: false };
  }

  /** Wait for the gossip of the last parameters (and keep it: it is the next step's mixing). */
  async settle(): Promise<void> {
    await this.inFlight?.wait();
  }

  /**
   * Continue from `parameters`, which an outer optimizer made equal on every rank between two steps
   * (after `settle`): the next step's mixing of identical models is the models themselves, so
   * nothing is in flight and no gossip round is spent on it.
   */
  restart(parameters: Float32Array, ctx: StepContext): void {
    const { sent, mixing } = this.buffers(parameters);
    sent.set(parameters);
    mixing.set(parameters);
    this.inFlight = InFlight.restored(ctx.step + 1);
  }

  /** Apply the last gossip round, then (by default) one exact average so every rank ends equal. */
  async finish(parameters: Float32Array, ctx: StepContext): Promise<void> {
    const { sent, mixing } = this.buffers(parameters);
    if (this.inFlight) {
      await this.inFlight.wait();
      for (let i = 0; i < parameters.length; i++) parameters[i] = mixing[i]! + (parameters[i]! - sent[i]!);
      this.inFlight = undefined;
      sent.set(parameters);
    }
    if (this.options.finalAverage) {
      await this.exchange.run(parameters, { stream: 'parameter', step: ctx.step, compress: false }, callOptions(ctx));
      sent.set(parameters);
    }
  }

  snapshot(): Snapshot {
    const { sent, mixing } = this.buffers();
    if (this.inFlight && !this.inFlight.done) {
      throw new StateError(`${this.name}: the gossip started at step ${this.inFlight.step - 1} is still in flight; pause with fit({ stopAtStep }), which settles it, before saving`);
    }
    return { sent: sent.slice(), mixing: mixing.slice(), mixed: this.inFlight !== undefined, mixedStep: this.inFlight?.step ?? -1 };
  }

  restore(snapshot: Snapshot): void {
    const fields = new StateFields(this.name, snapshot);
    const sent = fields.float32('sent', this.sent?.length);
    this.sent = sent.slice();
    this.mixing = fields.float32('mixing', sent.length).slice();
    const mixed = fields.boolean('mixed');
    const mixedStep = fields.integer('mixedStep', -1);
    this.inFlight = mixed ? InFlight.restored(mixedStep) : undefined;
  }

  private start(copyOf: Float32Array, step: number, ctx: StepContext): InFlight {
    const { sent, mixing } = this.buffers(copyOf);
    if (copyOf !== sent) sent.set(copyOf);
    mixing.set(sent);
    this.inFlight = new InFlight(step, this.exchange.run(mixing, { stream: 'parameter', step, pattern: 'neighbours' }, callOptions(ctx)));
    return this.inFlight;
  }

  private buffers(like?: Float32Array): { sent: Float32Array; mixing: Float32Array } {
    if (!this.sent || !this.mixing) {
      if (!like) throw new StateError(`${this.name}: no state before init`);
      this.init(like);
    }
    return { sent: this.sent!, mixing: this.mixing! };
  }
}

/**
 * D-PSGD: gossip mixing with the topology's neighbours every step, overlapped with the gradient
 * computation. Needs a collective that averages with neighbours (e.g. `neighbourAverage()` over
 * `ring()`, `torus2d()` or `exponentialGraph()`).
 *
 * @example
 * ```ts
 * plugins: [ring(), neighbourAverage(), decentralizedSgd()]
 * ```
 */
export function decentralizedSgd(options: DecentralizedSgdOptions = {}): PluginSpec<Required<DecentralizedSgdOptions>> {
  knownOptions('decentralizedSgd', options, ['finalAverage']);
  const resolved = Object.freeze({ finalAverage: booleanOption('decentralizedSgd', 'finalAverage', options.finalAverage, true) });
  return Object.freeze({
    kind: 'sync-policy' as const,
    name: 'decentralizedSgd',
    options: resolved,
    provides: GUARANTEES.restartable,
    requires: Object.freeze([
      { capability: Capabilities.gossipPayloads, from: 'compressor' as const, reason: 'D-PSGD mixes parameters by gossip, which carries uncompressed payloads only' },
      { capability: Capabilities.neighbourAverage, from: 'collective' as const, reason: 'D-PSGD mixes parameters with the topology neighbours every step' },
    ]),
    register(registrar) {
      registrar.register(SyncPolicy, { useFactory: (resolver) => new DecentralizedSgd(resolved, resolver.resolve(Exchange)) });
    },
  } satisfies PluginSpec<Required<DecentralizedSgdOptions>>);
}
