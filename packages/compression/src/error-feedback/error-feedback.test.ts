import { ErrorFeedback } from '@syncopate/core';
import { compressContext, instantiateCompressor, instantiateErrorFeedback } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';
import { topK } from '../compressors/top-k.js';
import { errorFeedback } from './error-feedback.js';

describe('errorFeedback', () => {
  it('carries the residual forward, so a constant gradient is sent in full over time (the corrected Eq. 11)', () => {
    const memory = instantiateErrorFeedback(errorFeedback());
    const compressor = instantiateCompressor(topK({ ratio: 0.25 }));
    const g = new Float32Array([4, 3, 2, 1]);
    const sent = new Float32Array(4);
    const decoded = new Float32Array(4);
    for (let step = 0; step < 40; step++) {
      const p = g.slice();
      memory.compensate('b', p);
      compressor.decompress(compressor.compress(p, compressContext({ step })), decoded, compressContext({ step }));
      memory.update('b', p, decoded);
      for (let i = 0; i < 4; i++) sent[i] += decoded[i]!;
    }
    // Every coordinate has been sent at its full rate, give or take what is still held back.
    const residual = memory.residual('b', 4);
    for (let i = 0; i < 4; i++) {
      expect(sent[i]! + residual[i]!).toBeCloseTo(40 * g[i]!, 3);
      expect(Math.abs(residual[i]!)).toBeLessThan(10);
      expect(sent[i]).toBeGreaterThan(0);
    }
  });

  it('is registered under the ErrorFeedback token and provides the residual capability', () => {
    const spec = errorFeedback();
    expect(spec.kind).toBe('error-feedback');
    expect(spec.provides).toEqual([ERROR_FEEDBACK_CAPABILITY]);
    let registered: unknown;
    spec.register({ register: (token) => (registered = token) });
    expect(registered).toBe(ErrorFeedback);
  });

  it('refuses options it does not have', () => {
    expect(() => errorFeedback({ decay: 0.9 } as never)).toThrow(/'decay' is not an option of errorFeedback/);
  });
});
