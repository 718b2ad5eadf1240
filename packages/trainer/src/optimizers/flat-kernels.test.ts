import { describe, expect, it } from 'vitest';
import { FlatKernels } from './flat-kernels.js';

const sample = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 3);

describe('FlatKernels', () => {
  it('assembles and runs the WebAssembly SIMD kernel on Node 20', () => {
    expect(new FlatKernels(16).arithmetic).toBe('wasm-simd');
    expect(new FlatKernels(16, { simd: false }).arithmetic).toBe('js');
  });

  it('computes y ← y + a·x in float32 arithmetic on allocated buffers, for every length (tails included)', () => {
    for (const n of [0, 1, 3, 4, 5, 17, 1000, 1003]) {
      const kernels = new FlatKernels(2 * n);
      const y = kernels.allocate(n);
      const x = kernels.allocate(n);
      y.set(sample(n, 1));
      x.set(sample(n, 2));
      const a = Math.fround(-0.37);
      const expected = y.map((v, i) => Math.fround(v + Math.fround(a * x[i]!)));
      const simdPart = n - (n % 4);
      expect(kernels.axpy(y, x, a)).toBe(-1);
      for (let i = 0; i < n; i++) {
        if (i < simdPart) expect(y[i]).toBe(expected[i]); // exact float32 arithmetic
        else expect(y[i]).toBeCloseTo(expected[i]!, 6); // JavaScript tail
      }
    }
  });

  it('agrees with the JavaScript path to float32 rounding, and uses it for arrays it did not allocate', () => {
    const simd = new FlatKernels(2000);
    const [y, x] = [simd.allocate(1000), simd.allocate(1000)];
    y.set(sample(1000, 3));
    x.set(sample(1000, 4));
    const plainY = Float32Array.from(y);
    const plainX = Float32Array.from(x);
    simd.axpy(y, x, 0.05);
    simd.axpy(plainY, plainX, 0.05); // not in the memory: JavaScript loop
    for (let i = 0; i < 1000; i++) expect(y[i]).toBeCloseTo(plainY[i]!, 5);
  });

  it('reports the first non-finite element of x, wherever it is, and hands out ordinary arrays when full', () => {
    const kernels = new FlatKernels(64);
    const [y, x] = [kernels.allocate(10), kernels.allocate(10)];
    x[6] = Infinity;
    expect(kernels.axpy(y, x, 1)).toBe(6);
    x[6] = 0;
    x[9] = NaN; // in the JavaScript tail
    expect(kernels.axpy(y, x, 1)).toBe(9);
    x[9] = 0;
    x[1] = -Infinity;
    x[2] = NaN;
    expect(kernels.axpy(y, x, 1)).toBe(1);
    const small = new FlatKernels(4); // one 64 KiB page
    const inside = small.allocate(4);
    const outside = small.allocate(20_000); // does not fit: an ordinary array, updated by the JavaScript loop
    expect(outside.buffer).not.toBe(inside.buffer);
    outside.fill(1);
    expect(small.axpy(outside, new Float32Array(20_000).fill(2), 0.5)).toBe(-1);
    expect(outside[19_999]).toBe(2);
  });

  it('finds the first NaN/±Inf without changing the buffer, on the SIMD and the JavaScript path, tails included', () => {
    for (const simd of [true, false]) {
      for (const n of [1, 3, 4, 5, 17, 1003]) {
        const kernels = new FlatKernels(n, { simd });
        const x = kernels.allocate(n);
        x.set(sample(n, 5));
        const before = x.slice();
        expect(kernels.firstNonFinite(x), `clean, n = ${n}`).toBe(-1);
        for (const [at, value] of [[n - 1, NaN], [0, Infinity], [n >> 1, -Infinity]] as const) {
          x[at] = value;
          expect(kernels.firstNonFinite(x), `${value} at ${at} of ${n}`).toBe(at);
          expect(kernels.firstNonFinite(Float32Array.from(x)), 'an array it did not allocate').toBe(at);
          x[at] = before[at]!;
        }
        expect(x).toEqual(before);
      }
    }
  });
});
