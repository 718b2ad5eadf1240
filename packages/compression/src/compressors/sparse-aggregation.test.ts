/**
 * Acceptance: on 4 local ranks, payloads of every sparse `gather` compressor, exchanged by the
 * transport's own allgather (transport-local's simulated network), merge by scatter-add
 * (`combine`) to exactly what decompressing each payload and summing gives. (Dense gather
 * compressors have no `combine`: the exchange's default is decompress-then-sum itself.)
 */
import type { PluginSpec } from '@syncopate/core';
import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { deepGradientCompression, randomK, threshold, topK } from '../index.js';

const RANKS = 4;
const N = 5000;

const gathered: PluginSpec[] = [
  topK({ ratio: 0.01 }),
  randomK({ ratio: 0.02 }),
  threshold({ threshold: 2 }),
  deepGradientCompression({ ratio: 0.01 }),
];

describe(`sparse gather-type payloads through a ${RANKS}-rank allgather`, () => {
  for (const spec of gathered) {
    it(`${spec.name}: combine(gathered payloads) equals decompress-then-sum`, async () => {
      const { results } = await runSimulated(RANKS, async (transport, rank) => {
        const compressor = instantiateCompressor(spec);
        expect(compressor.aggregation).toBe('gather');
        const ctx = compressContext({ step: 7, rank, size: RANKS });
        const payloads = await transport.collectives.allgather!(compressor.compress(seededNormals(N, 40 + rank), ctx));
        const combined = new Float32Array(N);
        compressor.combine!(payloads, combined, ctx);
        const expected = new Float32Array(N);
        const decoded = new Float32Array(N);
        for (const payload of payloads) {
          compressor.decompress(payload, decoded, ctx);
          for (let i = 0; i < N; i++) expected[i] += decoded[i]!;
        }
        return { combined, expected };
      });
      for (const { combined, expected } of results) {
        let worst = 0;
        for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(combined[i]! - expected[i]!));
        expect(worst).toBeLessThanOrEqual(1e-5);
      }
      // Every rank merged the same payloads into the same result.
      for (const { combined } of results) expect(combined).toEqual(results[0]!.combined);
    });
  }
});
