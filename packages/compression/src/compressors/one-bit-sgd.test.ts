import { compressContext, instantiateCompressor } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { ERROR_FEEDBACK_CAPABILITY } from '../capabilities.js';
import { oneBitSgd } from './one-bit-sgd.js';

describe('oneBitSgd', () => {
  it('reconstructs each element as the mean of the elements sharing its sign bit', () => {
    const x = new Float32Array([2, -1, 4, -3, 0, 6]);
    const c = instantiateCompressor(oneBitSgd());
    const out = new Float32Array(x.length);
    c.decompress(c.compress(x, compressContext()), out, compressContext());
    expect([...out]).toEqual([3, -2, 3, -2, 3, 3]);
  });

  it('handles a buffer with one sign only', () => {
    const c = instantiateCompressor(oneBitSgd());
    const out = new Float32Array(3);
    c.decompress(c.compress(new Float32Array([-1, -2, -3]), compressContext()), out, compressContext());
    expect([...out]).toEqual([-2, -2, -2]);
  });

  it('requires error feedback', () => {
    expect(oneBitSgd().requires?.some((r) => r.capability === ERROR_FEEDBACK_CAPABILITY && r.from === 'error-feedback')).toBe(true);
  });
});
