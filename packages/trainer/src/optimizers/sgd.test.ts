import { OptionError, ParamLayout, StateError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { sgd } from './sgd.js';

const layout = ParamLayout.of([{ name: 'w', shape: [3] }]);

describe('sgd', () => {
  it('moves against the gradient by lr·g: on ½‖x − x*‖² one step with lr 1 lands on x*', () => {
    const target = Float32Array.of(1, -2, 0.5);
    const x = Float32Array.of(4, 4, 4);
    const g = x.map((v, i) => v - target[i]!);
    sgd().create(layout).step(x, g, 1);
    expect([...x]).toEqual([...target]);
  });

  it('reports the first non-finite gradient element it met, and -1 when all are finite', () => {
    const optimizer = sgd().create(layout);
    expect(optimizer.step(new Float32Array(3), Float32Array.of(1, 2, 3), 0.1)).toBe(-1);
    expect(optimizer.step(new Float32Array(3), Float32Array.of(1, Infinity, NaN), 0.1)).toBe(1);
    expect(optimizer.step(new Float32Array(3), Float32Array.of(0, 0, -Infinity), 0.1)).toBe(2);
  });

  it('has no buffers and rejects buffers of the wrong length and unknown options', () => {
    const optimizer = sgd().create(layout);
    expect(optimizer.buffers()).toEqual([]);
    expect(() => optimizer.step(new Float32Array(2), new Float32Array(3), 0.1)).toThrow(StateError);
    expect(() => sgd({ lr: 1 } as never)).toThrow(OptionError);
  });
});
