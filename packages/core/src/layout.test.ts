import { describe, expect, it } from 'vitest';
import { LayoutMismatchError, OptionError } from './errors.js';
import { ParamLayout } from './layout.js';

const specs = [
  { name: 'dense/kernel', shape: [3, 4] },
  { name: 'dense/bias', shape: [4] },
  { name: 'out/kernel', shape: [4, 2] },
];

describe('ParamLayout', () => {
  it('places tensors back to back and views them without copying', () => {
    const layout = ParamLayout.of(specs);
    expect(layout.totalLength).toBe(12 + 4 + 8);
    expect(layout.entries.map((e) => e.offset)).toEqual([0, 12, 16]);
    const buffer = layout.allocate();
    layout.view(buffer, 'dense/bias').fill(2);
    expect([...buffer.subarray(12, 16)]).toEqual([2, 2, 2, 2]);
    expect(buffer[11]).toBe(0);
    expect(buffer[16]).toBe(0);
  });

  it('makes buckets that span whole tensors', () => {
    const layout = ParamLayout.of(specs);
    const bucket = layout.span(1, 1, 2);
    expect(bucket).toMatchObject({ index: 1, offset: 12, length: 12, tensors: ['dense/bias', 'out/kernel'] });
    const buffer = layout.allocate();
    layout.bucketView(buffer, bucket).fill(1);
    expect(buffer.reduce((a, b) => a + b, 0)).toBe(12);
    expect(layout.wholeBucket().length).toBe(layout.totalLength);
    expect(() => layout.span(0, 2, 1)).toThrow(OptionError);
  });

  it('hashes names and shapes, and explains the first difference', () => {
    const a = ParamLayout.of(specs);
    const b = ParamLayout.of(specs);
    expect(a.hash()).toBe(b.hash());
    const c = ParamLayout.of([specs[0]!, { name: 'dense/bias', shape: [5] }, specs[2]!]);
    expect(c.hash()).not.toBe(a.hash());
    expect(() => a.assertSame(c, 'rank 3')).toThrow(LayoutMismatchError);
    expect(() => a.assertSame(c, 'rank 3')).toThrow(/tensor 1: here dense\/bias \[4\], rank 3 dense\/bias \[5\]/);
    expect(() => a.assertSame(b, 'rank 1')).not.toThrow();
  });

  it('rejects bad specs and buffers with messages that name the problem', () => {
    expect(() => ParamLayout.of([{ name: 'a', shape: [2] }, { name: 'a', shape: [3] }])).toThrow(/repeats the name 'a'/);
    expect(() => ParamLayout.of([{ name: 'a', shape: [2.5] }])).toThrow(/a\.shape/);
    const layout = ParamLayout.of(specs);
    expect(() => layout.view(new Float32Array(3), 'dense/bias')).toThrow(/3 elements but the layout has 24/);
    expect(() => layout.entry('nope')).toThrow(/'nope' is not a tensor/);
  });
});
