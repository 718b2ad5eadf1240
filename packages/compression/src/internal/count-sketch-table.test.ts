import { compressContext, seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { SketchHashes, median5 } from './count-sketch-table.js';

describe('count sketch table', () => {
  it('median5 is the median for every ordering, with ties', () => {
    const values = [0, 1, 2];
    for (let code = 0; code < 3 ** 5; code++) {
      const v = [0, 1, 2, 3, 4].map((k) => values[Math.floor(code / 3 ** k) % 3]!);
      expect(median5(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!)).toBe([...v].sort((a, b) => a - b)[2]);
    }
  });

  it('is linear: the sketch of a sum is the sum of the sketches', () => {
    const hashes = new SketchHashes(5, 64, compressContext().sharedRng);
    const a = seededNormals(1000, 1);
    const b = seededNormals(1000, 2);
    const sum = a.map((v, i) => v + b[i]!);
    const ta = new Float32Array(320);
    const tb = new Float32Array(320);
    const ts = new Float32Array(320);
    hashes.sketch(a, ta);
    hashes.sketch(b, tb);
    hashes.sketch(sum, ts);
    for (let t = 0; t < 320; t++) expect(ts[t]).toBeCloseTo(ta[t]! + tb[t]!, 4);
  });

  it('estimates an isolated element exactly, through 5 or 3 rows', () => {
    for (const rows of [5, 3]) {
      const x = new Float32Array(5000);
      x[1234] = 7;
      const hashes = new SketchHashes(rows, 100, compressContext({ step: rows }).sharedRng);
      const table = new Float32Array(rows * 100);
      hashes.sketch(x, table);
      const estimates = new Float32Array(5000);
      hashes.estimate(table, estimates);
      expect(estimates[1234]).toBe(7);
    }
  });
});
