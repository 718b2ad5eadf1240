import { ParamLayout } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { bucketTensors } from './bucket-tensors.js';

/** A 4×3 kernel (elements 0–11), its bias (12–14), an empty tensor, a 2×2×2 kernel (15–22). */
const layout = ParamLayout.of([
  { name: 'dense/kernel', shape: [4, 3] },
  { name: 'dense/bias', shape: [3] },
  { name: 'empty', shape: [0] },
  { name: 'conv/kernel', shape: [2, 2, 2] },
]);

describe('bucketTensors', () => {
  it('describes whole tensors with their shapes, relative to the range, and leaves out empty ones', () => {
    expect(bucketTensors(layout, 0, layout.totalLength)).toEqual([
      { offset: 0, length: 12, shape: [4, 3] },
      { offset: 12, length: 3, shape: [3] },
      { offset: 15, length: 8, shape: [2, 2, 2] },
    ]);
    expect(bucketTensors(layout, 12, 11)).toEqual([
      { offset: 0, length: 3, shape: [3] },
      { offset: 3, length: 8, shape: [2, 2, 2] },
    ]);
  });

  it('cuts a partitioned tensor into its whole rows and 1-D ragged ends', () => {
    // Elements 4..13: kernel row 1 from its second element (4, 5), rows 2–3 (6..11), bias 0–1.
    expect(bucketTensors(layout, 4, 10)).toEqual([
      { offset: 0, length: 2, shape: [2] },
      { offset: 2, length: 6, shape: [2, 3] },
      { offset: 8, length: 2, shape: [2] },
    ]);
    // Elements 0..6 of the kernel: rows 0–1, then one element of row 2.
    expect(bucketTensors(layout, 0, 7)).toEqual([
      { offset: 0, length: 6, shape: [2, 3] },
      { offset: 6, length: 1, shape: [1] },
    ]);
    // Elements 16..20 of the 2×2×2 kernel (15–22): no whole row of 4, one 1-D piece.
    expect(bucketTensors(layout, 16, 5)).toEqual([{ offset: 0, length: 5, shape: [5] }]);
  });

  it('covers every element of the range exactly once, for every range', () => {
    const n = layout.totalLength;
    for (let offset = 0; offset < n; offset++) {
      for (let length = 1; offset + length <= n; length++) {
        const tensors = bucketTensors(layout, offset, length);
        let cursor = 0;
        for (const t of tensors) {
          expect(t.offset).toBe(cursor);
          expect(t.shape.reduce((a, b) => a * b, 1)).toBe(t.length);
          cursor += t.length;
        }
        expect(cursor).toBe(length);
      }
    }
  });
});
