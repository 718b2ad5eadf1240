/**
 * Compressed payloads that are truncated or corrupted must be caught by the header checksum: a
 * PayloadError, never a wrong gradient. First every compressor alone (random multi-byte damage,
 * truncation, padding, another compressor's payload), then a payload damaged in transit during
 * training: the run stops with the PayloadError and no rank hangs.
 */
import { Compressor, PayloadError, createRng, type Transport } from '@syncopate/core';
import * as compression from '@syncopate/compression';
import { errorFeedback, topK } from '@syncopate/compression';
import { compressContext, instantiateCompressor, seededNormals } from '@syncopate/testing';
import { bsp } from '@syncopate/sync-policy';
import { describe, expect, it } from 'vitest';
import { runSimulated } from '@syncopate/transport-local';
import { createTrainer } from '../../src/create-trainer.js';
import { smallProblem } from '../../src/test-support/simulated-ranks.js';
import { discoverFactories } from '../../../../tools/reliability/fuzz/discover-factories.js';

const LENGTH = 1000;

/** Every compressor the compression package exports that builds with its defaults. */
function compressors(): { name: string; compressor: Compressor }[] {
  const found: { name: string; compressor: Compressor }[] = [];
  for (const factory of discoverFactories('compression', compression as Record<string, unknown>)) {
    let spec;
    try {
      spec = factory.fn() as { kind: string };
    } catch {
      continue; // needs options (e.g. perBucket's rules); covered by its own tests
    }
    if (spec.kind === 'compressor') found.push({ name: factory.name, compressor: instantiateCompressor(spec as never) });
  }
  return found;
}

/** How decompressing `payload` ends: 'ok', 'PayloadError', or another error's name and message. */
function decompressAs(compressor: Compressor, payload: Uint8Array): string {
  try {
    compressor.decompress(payload, new Float32Array(LENGTH), compressContext({ step: 3 }));
    return 'ok';
  } catch (error) {
    return error instanceof PayloadError ? 'PayloadError' : `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('corrupted compressed payloads', () => {
  it('every compressor refuses damaged, truncated, padded and foreign payloads with a PayloadError', () => {
    const all = compressors();
    expect(all.map((c) => c.name)).toEqual(expect.arrayContaining(['topK', 'qsgd', 'powerSgd', 'fp16', 'identity']));
    const payloads = all.map(({ compressor }) => compressor.compress(seededNormals(LENGTH, 7), compressContext({ step: 3 })));
    const failures: string[] = [];
    let cases = 0;
    for (const [c, { name, compressor }] of all.entries()) {
      const good = payloads[c]!;
      expect(decompressAs(compressor, good), name).toBe('ok');
      for (let k = 0; k < 120; k++) {
        const rng = createRng({ seed: 4, rank: 0, step: k, stream: `payload/${name}` });
        let bad: Uint8Array;
        switch (k % 4) {
          case 0: {
            bad = good.slice();
            for (let n = 1 + rng.nextInt(8); n > 0; n--) bad[rng.nextInt(bad.length)] ^= 1 + rng.nextInt(255);
            break;
          }
          case 1:
            bad = good.slice(0, rng.nextInt(good.length));
            break;
          case 2:
            bad = Uint8Array.from([...good, ...Array.from({ length: 1 + rng.nextInt(16) }, () => rng.nextInt(256))]);
            break;
          default:
            bad = payloads[(c + 1 + rng.nextInt(all.length - 1)) % all.length]!;
        }
        cases++;
        const outcome = decompressAs(compressor, bad);
        if (outcome !== 'PayloadError') failures.push(`${name} case ${k}: ${outcome}`);
      }
    }
    console.log(`payload-corruption: ${all.length} compressors, ${cases} damaged payloads, ${cases - failures.length} refused with a PayloadError`);
    expect(failures).toEqual([]);
  });

  it('a payload damaged in transit stops training with the PayloadError on every rank, no hang', async () => {
    const problem = smallProblem();
    /** Rank 1's transport, flipping one byte of what the first allgather of step ≥ 2 brings back. */
    const damaging = (transport: Transport): Transport => {
      let calls = 0;
      const inner = transport.collectives;
      const allgather = inner.allgather!.bind(inner);
      // Objects whose prototype is the real one: everything else behaves exactly as before.
      const collectives = Object.create(inner, {
        allgather: {
          value: async (...args: Parameters<typeof allgather>) => {
            const parts = await allgather(...args);
            if (++calls === 3) {
              const copy = parts[0]!.slice();
              copy[copy.length - 1] ^= 0x40;
              parts[0] = copy;
            }
            return parts;
          },
        },
      });
      return Object.create(transport, { collectives: { value: collectives } }) as Transport;
    };
    const { results } = await runSimulated(3, async (transport, rank) => {
      const trainer = createTrainer({
        transport: rank === 1 ? damaging(transport) : transport,
        model: problem.createModel(),
        data: problem.dataset,
        plugins: [bsp(), topK({ ratio: 0.25 }), errorFeedback()],
        batchSize: 8,
      });
      try {
        return await trainer.fit({ epochs: 1 }).then(() => undefined, (error: unknown) => error as Error);
      } finally {
        await trainer.dispose();
      }
    });
    const receiver = results[1];
    expect(receiver).toBeInstanceOf(PayloadError);
    expect(receiver!.message).toMatch(/checksum|CRC/i);
    for (const result of results) expect(result).toBeInstanceOf(Error);
  });
});
