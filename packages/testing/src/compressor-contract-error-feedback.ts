/**
 * The contract of error-feedback plugins, run against the compressors given:
 *
 * ```ts
 * for (const c of errorFeedbackContract(errorFeedback(), [topK({ ratio: 0.1 }), scaledSign()])) it(c.name, c.run);
 * ```
 *
 * Mass conservation is the defining property: over T rounds of p = x + e, send C(p),
 * e ← p − C(p), everything transmitted plus the final residual equals everything fed in. It
 * fails for the survey's printed Eq. (11), which forgets the carried-in residual.
 */
import { Compressor, ErrorFeedback, LayoutMismatchError, StateError, type PluginSpec } from '@syncopate/core';
import type { CompressorContractCase } from './compressor-contract.js';
import { check, checkClose, checkSameBytes, expectError } from './compressor-contract-assert.js';
import { compressContext, seededNormals } from './compressor-contract-context.js';
import { instantiate, type CompressorContractService } from './compressor-contract-instantiate.js';

/** Options of {@link errorFeedbackContract}. */
export interface ErrorFeedbackContractOptions {
  /** Rounds fed through the memory. Default 25. */
  readonly rounds?: number;
  /**
   * The memory conserves mass: Σ transmitted + residual = Σ fed in. Default true; false for
   * memories that transform what they are fed (momentum correction accumulates momentum).
   */
  readonly conservesMass?: boolean;
  /** Services its factory may resolve (e.g. a Transport). */
  readonly services?: readonly CompressorContractService[];
}

/** The contract cases of the error-feedback plugin made by `spec`, with each of `compressors`. */
export function errorFeedbackContract(spec: PluginSpec, compressors: readonly PluginSpec[], options: ErrorFeedbackContractOptions = {}): CompressorContractCase[] {
  const rounds = options.rounds ?? 25;
  const make = (): ErrorFeedback => instantiate(spec, ErrorFeedback, options.services);
  const cases: CompressorContractCase[] = [];
  const add = (name: string, run: () => void) => cases.push({ name, run });
  const key = 'gradient/bucket-0';
  const n = 300;

  /** Feed `rounds` inputs through memory and compressor; returns fed, transmitted totals and the memory. */
  function feed(memory: ErrorFeedback, compressor: Compressor, from: number, to: number) {
    const fed = new Float64Array(n);
    const sent = new Float64Array(n);
    const decoded = new Float32Array(n);
    let largest = 0;
    for (let step = from; step < to; step++) {
      const x = seededNormals(n, 10 + step);
      for (let i = 0; i < n; i++) fed[i] += x[i]!;
      memory.compensate(key, x);
      const ctx = compressContext({ step, key });
      compressor.decompress(compressor.compress(x, ctx), decoded, ctx);
      memory.update(key, x, decoded);
      for (let i = 0; i < n; i++) {
        sent[i] += decoded[i]!;
        largest = Math.max(largest, Math.abs(x[i]!), Math.abs(decoded[i]!));
      }
    }
    return { fed, sent, largest };
  }

  add('is an inert error-feedback spec', () => {
    check(spec.kind === 'error-feedback', `kind is '${spec.kind}', expected 'error-feedback'`);
    check(Object.isFrozen(spec), 'the spec must be frozen');
    check(make() !== make(), 'each composition must get its own instance');
  });

  add('starts empty, per key, and forgets on reset', () => {
    const memory = make();
    checkClose(memory.residual(key, 4), new Float32Array(4), 0, 'residual before any update');
    const x = new Float32Array([1, 2, 3, 4]);
    memory.compensate(key, x);
    memory.update(key, x, new Float32Array(4));
    check(memory.residual('other', 4).every((v) => v === 0), 'another key must have its own (empty) memory');
    memory.reset(key);
    check(memory.residual(key, 4).every((v) => v === 0), 'reset(key) must clear the memory of that key');
  });

  add('refuses a buffer whose length changed with LayoutMismatchError', () => {
    const memory = make();
    const x = new Float32Array(8).fill(1);
    memory.compensate(key, x);
    memory.update(key, x, new Float32Array(8));
    expectError(() => memory.compensate(key, new Float32Array(9)), LayoutMismatchError, 'compensate with 9 elements after 8');
  });

  for (const compressorSpec of compressors) {
    if (options.conservesMass ?? true) {
      add(`conserves mass with ${compressorSpec.name}: Σ transmitted + residual = Σ fed in`, () => {
        const memory = make();
        const { fed, sent, largest } = feed(memory, instantiate(compressorSpec, Compressor), 0, rounds);
        const residual = memory.residual(key, n);
        // Exact in real arithmetic; float32 rounds p = x + e and e = p − C(p) once each per round.
        const tolerance = 4 * rounds * 2 ** -23 * largest;
        for (let i = 0; i < n; i++) {
          const gap = Math.abs(sent[i]! + residual[i]! - fed[i]!);
          check(gap <= tolerance, () => `after ${rounds} rounds, element ${i}: transmitted ${sent[i]} + residual ${residual[i]} ≠ fed ${fed[i]} (gap ${gap.toExponential(2)}, float32 tolerance ${tolerance.toExponential(2)})`);
        }
      });
    }

    add(`leaves its memory as it was when a step is refused between compensate and update (${compressorSpec.name})`, () => {
      // A compressor that stops on a non-finite value, or a skipped step, ends the step after
      // compensate and before update: what follows must go on as if that step never began.
      const clean = make();
      const refused = make();
      feed(clean, instantiate(compressorSpec, Compressor), 0, 4);
      feed(refused, instantiate(compressorSpec, Compressor), 0, 4);
      const poisoned = seededNormals(n, 99);
      poisoned[7] = Number.NaN;
      refused.compensate(key, poisoned);
      feed(clean, instantiate(compressorSpec, Compressor), 4, 7);
      feed(refused, instantiate(compressorSpec, Compressor), 4, 7);
      checkSameBytes(
        new Uint8Array(refused.residual(key, n).buffer),
        new Uint8Array(clean.residual(key, n).buffer),
        'residual three steps after a refused step vs a run without it',
      );
    });

    add(`continues bit for bit after snapshot and restore (${compressorSpec.name})`, () => {
      const original = make();
      const compressor = () => instantiate(compressorSpec, Compressor);
      feed(original, compressor(), 0, 5);
      const restored = make();
      restored.restore(original.snapshot());
      feed(original, compressor(), 5, 8);
      feed(restored, compressor(), 5, 8);
      checkSameBytes(
        new Uint8Array(restored.residual(key, n).buffer),
        new Uint8Array(original.residual(key, n).buffer),
        'residual of the restored memory vs the original',
      );
    });
  }

  add('refuses a snapshot it did not write with StateError', () => {
    expectError(() => make().restore({ format: 'something-else/9' }), StateError, 'restore of a foreign snapshot');
  });

  return cases;
}
