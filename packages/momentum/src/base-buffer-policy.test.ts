import { Momentum } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { baseBufferPolicy } from './base-buffer-policy.js';
import { doubleAveraging } from './double-averaging.js';
import { buildMomentum } from './testing/index.js';

describe('baseBufferPolicy', () => {
  it('hands the trainer the chosen policy and nothing else', () => {
    for (const policy of ['reset', 'average', 'keep'] as const) {
      const built = buildMomentum(baseBufferPolicy({ policy }));
      expect(built.baseBuffer).toBe(policy);
      expect(built.name).toBe('baseBufferPolicy');
      expect(built.onSync ?? built.onStep ?? built.onGradients ?? built.snapshot).toBeUndefined();
    }
  });

  it('needs a policy, and only one of the three', () => {
    expect(() => baseBufferPolicy()).toThrow("baseBufferPolicy: option 'policy' must be one of 'reset', 'average', 'keep', got undefined");
    expect(() => baseBufferPolicy({ policy: 'maintain' as never })).toThrow(/got "maintain"/);
    expect(() => baseBufferPolicy({ polcy: 'reset' } as never)).toThrow(/did you mean 'policy'/);
  });
});

describe('doubleAveraging', () => {
  it('is the average policy under its own name, stateless, with no options', () => {
    const spec = doubleAveraging();
    expect(spec).toMatchObject({ kind: 'momentum', name: 'doubleAveraging', options: {} });
    const built = buildMomentum(spec);
    expect(built).toMatchObject({ name: 'doubleAveraging', baseBuffer: 'average' });
    expect(built.snapshot).toBeUndefined();
    expect(() => doubleAveraging({ period: 4 } as never)).toThrow(/'period' is not an option of doubleAveraging; known options: none/);
    let registered = 0;
    spec.register({ register: (token) => void (token === Momentum && registered++) });
    expect(registered).toBe(1);
  });
});
