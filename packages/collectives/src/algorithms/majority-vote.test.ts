import { LengthMismatchError, OptionError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { majorityVote, packSigns } from './majority-vote.js';

describe('majorityVote (arithmetic, with a gather given directly)', () => {
  it('packs four votes per byte after a length header', () => {
    expect([...packSigns(Int8Array.of(1, -1, 0, 1, -1))]).toEqual([5, 0, 0, 0, 0b01_00_10_01, 0b10]);
  });

  it('takes the sign of the vote total, 0 on ties', async () => {
    const votes = [Int8Array.of(1, 1, -1, 0, 1), Int8Array.of(1, -1, -1, 0, -1), Int8Array.of(-1, 0, 1, 0, 0)];
    const signs = Int8Array.from(votes[0]!);
    await majorityVote(async () => votes.map(packSigns), signs);
    expect([...signs]).toEqual([1, 0, -1, 0, 0]);
  });

  it('rejects values other than −1, 0, +1 and ranks that voted on different lengths', async () => {
    expect(() => packSigns(Int8Array.of(1, 2))).toThrow(OptionError);
    expect(() => packSigns(Int8Array.of(1, 2))).toThrow(/got 2 at index 1/);
    await expect(majorityVote(async () => [packSigns(new Int8Array(5)), packSigns(new Int8Array(6))], new Int8Array(5))).rejects.toThrow(
      LengthMismatchError,
    );
  });
});
