import { CompositionError, ErrorFeedback, LayoutMismatchError, Transport, booleanOption, knownOptions, numberOption, } from '@syncopate/core';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';
import { KeyedBuffers, expectFormat } from '../internal/keyed-buffers.js';
const NAME = 'momentumCorrection';
const FORMAT = 'momentumCorrection/1';
/**
 * The error-feedback side of Deep Gradient Compression (Lin et al., "Deep gradient compression:
 * reducing the communication bandwidth for distributed training", ICLR 2018), per buffer key:
 *
 * - local gradient clipping: g ← g · min(1, thr_local / ‖g‖₂) with thr_local = clipNorm · size^(−1/2),
 *   applied before anything is accumulated (survey Eqs. 27–28);
 * - momentum correction: u ← m·u + g, v ← v + u, and v is what gets compressed;
 * - after sending: v ← v − C(v) (the residual) and, with factor masking, u ← 0 where C(v) ≠ 0.
 *
 * It takes the place of {@link errorFeedback} in the composition (it is the residual memory),
 * and the base optimizer should then run without momentum. It also works with any sparsifier,
 * not only {@link deepGradientCompression}.
 */
export class MomentumCorrection {
    momentum;
    localClipNorm;
    factorMasking;
    name = NAME;
    velocity = new KeyedBuffers(NAME);
    accumulated = new KeyedBuffers(NAME);
    constructor(momentum, localClipNorm, factorMasking) {
        this.momentum = momentum;
        this.localClipNorm = localClipNorm;
        this.factorMasking = factorMasking;
    }
    compensate(key, x) {
        if (this.localClipNorm !== undefined)
            clip(x, this.localClipNorm);
        const u = this.velocity.get(key, x.length);
        const v = this.accumulated.get(key, x.length);
        const m = this.momentum;
        for (let i = 0; i < x.length; i++) {
            u[i] = m * u[i] + x[i];
            v[i] += u[i];
            x[i] = v[i];
        }
    }
    update(key, compensated, transmitted) {
        if (compensated.length !== transmitted.length) {
            throw new LayoutMismatchError(`${NAME}.update('${key}'): compensated has ${compensated.length} elements but transmitted has ${transmitted.length}`);
        }
        const v = this.accumulated.get(key, compensated.length);
        const u = this.velocity.get(key, compensated.length);
        for (let i = 0; i < v.length; i++) {
            v[i] = compensated[i] - transmitted[i];
            if (this.factorMasking && transmitted[i] !== 0)
                u[i] = 0;
        }
    }
    residual(key, length) {
        return this.accumulated.find(key, length)?.slice() ?? new Float32Array(length);
    }
    /** The momentum u of `key` (zeros if none yet), for inspection and tests. */
    momentumOf(key, length) {
        return this.velocity.find(key, length)?.slice() ?? new Float32Array(length);
    }
    reset(key) {
        this.velocity.delete(key);
        this.accumulated.delete(key);
    }
    snapshot() {
        return { format: FORMAT, velocity: this.velocity.toState(), accumulated: this.accumulated.toState() };
    }
    restore(snapshot) {
        expectFormat(snapshot, FORMAT, NAME);
        this.velocity.fromState(snapshot.velocity, 'velocity');
        this.accumulated.fromState(snapshot.accumulated, 'accumulated');
    }
}
function clip(x, limit) {
    let sumOfSquares = 0;
    for (let i = 0; i < x.length; i++)
        sumOfSquares += x[i] * x[i];
    const norm = Math.sqrt(sumOfSquares);
    if (norm <= limit)
        return;
    const scale = limit / norm;
    for (let i = 0; i < x.length; i++)
        x[i] *= scale;
}
/**
 * DGC's momentum correction, momentum factor masking and local gradient clipping, as the
 * composition's error-feedback plugin.
 *
 * @example
 * ```ts
 * plugins: [deepGradientCompression({ ratio: 0.001 }), momentumCorrection({ momentum: 0.9, clipNorm: 5 })]
 * ```
 */
export function momentumCorrection(options = {}) {
    knownOptions(NAME, options, ['momentum', 'clipNorm', 'factorMasking']);
    const resolved = {
        momentum: numberOption(NAME, 'momentum', options.momentum, { min: 0, below: 1 }, 0.9),
        ...(options.clipNorm === undefined ? {} : { clipNorm: numberOption(NAME, 'clipNorm', options.clipNorm, { above: 0 }) }),
        factorMasking: booleanOption(NAME, 'factorMasking', options.factorMasking, true),
    };
    const spec = {
        kind: 'error-feedback',
        name: NAME,
        options: Object.freeze(resolved),
        provides: Object.freeze([ERROR_FEEDBACK_CAPABILITY]),
        register(registrar) {
            registrar.register(ErrorFeedback, {
                useFactory: (resolver) => {
                    let localClipNorm;
                    if (resolved.clipNorm !== undefined) {
                        const transport = resolver.resolveOptional(Transport);
                        if (!transport) {
                            throw new CompositionError([NAME], `${NAME}: option 'clipNorm' scales by the number of ranks, but no Transport is registered`);
                        }
                        localClipNorm = resolved.clipNorm / Math.sqrt(transport.size);
                    }
                    return new MomentumCorrection(resolved.momentum, localClipNorm, resolved.factorMasking);
                },
            });
        },
    };
    return Object.freeze(spec);
}
//# sourceMappingURL=momentum-correction.js.map