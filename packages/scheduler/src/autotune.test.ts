import { OptionError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { autotune } from './autotune.js';

describe('autotune', () => {
  it('picks the candidate with the lowest median measured time, whatever its position', async () => {
    // α-β cost of a 4 MB buffer in buckets of b bytes: (4 MB / b) · α + 4 MB / B + per-bucket overlap loss ∝ b.
    const cost = (b: number) => ((4 << 20) / b) * 0.5 + (4 << 20) / 1e6 + b / 2e5;
    const candidates = [16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20];
    const { best, medians } = await autotune({ candidates, measure: async (b) => cost(b) });
    const expected = candidates.reduce((x, y) => (cost(y) < cost(x) ? y : x));
    expect(best).toBe(expected);
    expect(medians).toEqual(candidates.map(cost));
    const reversed = await autotune({ candidates: [...candidates].reverse(), measure: async (b) => cost(b) });
    expect(reversed.best).toBe(expected);
  });

  it('keeps the median of the trials, so one outlier does not decide', async () => {
    const noisy = new Map([
      [1, [10, 10, 1]], // one lucky trial
      [2, [5, 5, 6]],
    ]);
    const calls = new Map<number, number>();
    const { best, medians } = await autotune({
      candidates: [1, 2],
      trials: 3,
      measure: async (c) => {
        const i = calls.get(c) ?? 0;
        calls.set(c, i + 1);
        return noisy.get(c)![i]!;
      },
    });
    expect(medians).toEqual([10, 5]);
    expect(best).toBe(2);
  });

  it('rejects bad options and bad measurements', async () => {
    await expect(autotune({ candidates: [], measure: async () => 1 })).rejects.toThrow(OptionError);
    await expect(autotune({ candidates: [1], measure: async () => 1, trials: 0 })).rejects.toThrow(/'trials' must be an integer >= 1/);
    await expect(autotune({ candidates: [7], measure: async () => Number.NaN })).rejects.toThrow(/got NaN for candidate 7/);
  });
});
