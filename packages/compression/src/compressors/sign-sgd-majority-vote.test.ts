import { compressContext, instantiateCompressor } from '@syncopate/testing';
import { Capabilities } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { signSgdMajorityVote } from './sign-sgd-majority-vote.js';

describe('signSgdMajorityVote', () => {
  const c = instantiateCompressor(signSgdMajorityVote());
  const ctx = compressContext();
  const vote = (inputs: number[][]) => {
    const out = new Float32Array(inputs[0]!.length);
    c.combine!(
      inputs.map((x) => c.compress(new Float32Array(x), ctx)),
      out,
      ctx,
    );
    return [...out];
  };

  it('combines to size × the element-wise majority of the signs', () => {
    expect(vote([[1, -1, 2, -3], [1, 1, -2, -3], [-5, -1, -2, 3]])).toEqual([3, -3, -3, -3]);
  });

  it('gives 0 on a tie, and counts sign(0) as +1', () => {
    expect(vote([[1, -1, 0], [-1, 1, -2], [1, -1, -1], [-1, 1, 0]])).toEqual([0, 0, 0]);
  });

  it('decodes one payload to ±1 and is a vote aggregation over allgather', () => {
    const out = new Float32Array(3);
    c.decompress(c.compress(new Float32Array([0.1, -4, 0]), ctx), out, ctx);
    expect([...out]).toEqual([1, -1, 1]);
    expect(c.aggregation).toBe('vote');
    expect(signSgdMajorityVote().requires?.map((r) => r.capability)).toEqual([Capabilities.allgather]);
  });
});
