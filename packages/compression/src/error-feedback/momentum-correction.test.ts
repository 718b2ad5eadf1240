import { CompositionError, Transport } from '@syncopate/core';
import { compressContext, instantiateCompressor, instantiateErrorFeedback, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { topK } from '../compressors/top-k.js';
import { MomentumCorrection, momentumCorrection } from './momentum-correction.js';

const transport = (size: number) => [[Transport, { size } as unknown as Transport]] as const;

describe('momentumCorrection', () => {
  it('follows DGC: u ← m·u + g, v ← v + u, send top-k(v), clear v and u where sent', () => {
    const m = 0.9;
    const n = 50;
    const memory = instantiateErrorFeedback(momentumCorrection({ momentum: m }));
    const compressor = instantiateCompressor(topK({ ratio: 0.1 }));
    const u = new Float64Array(n);
    const v = new Float64Array(n);
    const decoded = new Float32Array(n);
    for (let step = 0; step < 10; step++) {
      const g = seededNormals(n, step);
      for (let i = 0; i < n; i++) {
        u[i] = m * u[i]! + g[i]!;
        v[i] += u[i]!;
      }
      const x = g.slice();
      memory.compensate('b', x);
      for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(v[i]!, 4);
      compressor.decompress(compressor.compress(x, compressContext({ step })), decoded, compressContext({ step }));
      memory.update('b', x, decoded);
      for (let i = 0; i < n; i++) {
        if (decoded[i] !== 0) {
          v[i] = 0;
          u[i] = 0;
        }
      }
      const residual = memory.residual('b', n);
      const momentum = (memory as MomentumCorrection).momentumOf('b', n);
      for (let i = 0; i < n; i++) {
        expect(residual[i]).toBeCloseTo(v[i]!, 4);
        expect(momentum[i]).toBeCloseTo(u[i]!, 4);
      }
    }
  });

  it('clips each rank’s buffer to clipNorm / √size before accumulating (local gradient clipping)', () => {
    const memory = instantiateErrorFeedback(momentumCorrection({ momentum: 0, clipNorm: 8 }), transport(4));
    const x = new Float32Array([30, 40]); // norm 50, clipped to 8 / √4 = 4
    memory.compensate('b', x);
    expect([...x]).toEqual([2.4000000953674316, 3.200000047683716]);
    const small = new Float32Array([0.3, 0.4]);
    memory.compensate('c', small);
    expect([...small]).toEqual([0.30000001192092896, 0.4000000059604645]);
  });

  it('needs a Transport to scale clipNorm by the number of ranks', () => {
    expect(() => instantiateErrorFeedback(momentumCorrection({ clipNorm: 1 }))).toThrow(CompositionError);
    expect(() => instantiateErrorFeedback(momentumCorrection({ momentum: 0.5 }))).not.toThrow();
  });

  it('without factor masking keeps the momentum of sent elements', () => {
    const memory = instantiateErrorFeedback(momentumCorrection({ momentum: 0.5, factorMasking: false })) as MomentumCorrection;
    const x = new Float32Array([1, 2]);
    memory.compensate('b', x);
    memory.update('b', x, new Float32Array([0, 2]));
    expect([...memory.momentumOf('b', 2)]).toEqual([1, 2]);
    expect([...memory.residual('b', 2)]).toEqual([1, 0]);
  });
});
