import { ErrorFeedback, LayoutMismatchError, knownOptions, type PluginSpec, type Snapshot } from '@syncopate/core';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';
import { KeyedBuffers, expectFormat } from '../internal/keyed-buffers.js';

const FORMAT = 'errorFeedback/1';

/**
 * Error feedback with a residual memory per buffer key, usable with any compressor.
 *
 * Before compressing, the exchange adds what earlier rounds dropped: p = x + e. After, it keeps
 * what this round dropped: e ← p − C(p), where C(p) is what was actually transmitted. Everything
 * fed in is eventually sent, only later (Seide et al., "1-bit stochastic gradient descent and
 * its application to data-parallel distributed training of speech DNNs", Interspeech 2014;
 * Karimireddy et al., "Error feedback fixes SignSGD and other gradient compression schemes",
 * ICML 2019). The carried-in residual is part of the new one, correcting the survey's Eq. (11).
 */
export class ResidualErrorFeedback implements ErrorFeedback {
  readonly name = 'errorFeedback';
  private readonly memory = new KeyedBuffers('errorFeedback');

  compensate(key: string, x: Float32Array): void {
    const e = this.memory.find(key, x.length);
    if (!e) return;
    for (let i = 0; i < x.length; i++) x[i] += e[i]!;
  }

  update(key: string, compensated: Float32Array, transmitted: Float32Array): void {
    if (compensated.length !== transmitted.length) {
      throw new LayoutMismatchError(`errorFeedback.update('${key}'): compensated has ${compensated.length} elements but transmitted has ${transmitted.length}`);
    }
    const e = this.memory.get(key, compensated.length);
    for (let i = 0; i < e.length; i++) e[i] = compensated[i]! - transmitted[i]!;
  }

  residual(key: string, length: number): Float32Array {
    return this.memory.find(key, length)?.slice() ?? new Float32Array(length);
  }

  reset(key?: string): void {
    this.memory.delete(key);
  }

  snapshot(): Snapshot {
    return { format: FORMAT, memory: this.memory.toState() };
  }

  restore(snapshot: Snapshot): void {
    expectFormat(snapshot, FORMAT, 'errorFeedback');
    this.memory.fromState(snapshot.memory, 'memory');
  }
}

/** Options of {@link errorFeedback}: none. */
export type ErrorFeedbackOptions = Record<string, never>;

/**
 * The error-feedback plugin: a residual memory per buffer key that composes with every
 * compressor (and is required by EF-signSGD, 1-bit SGD and PowerSGD).
 *
 * @example
 * ```ts
 * plugins: [topK({ ratio: 0.01 }), errorFeedback()]
 * ```
 */
export function errorFeedback(options: ErrorFeedbackOptions = {}): PluginSpec<ErrorFeedbackOptions> {
  knownOptions('errorFeedback', options, []);
  const spec: PluginSpec<ErrorFeedbackOptions> = {
    kind: 'error-feedback',
    name: 'errorFeedback',
    options: Object.freeze({}),
    provides: Object.freeze([ERROR_FEEDBACK_CAPABILITY]),
    register(registrar) {
      registrar.register(ErrorFeedback, { useFactory: () => new ResidualErrorFeedback() });
    },
  };
  return Object.freeze(spec);
}
