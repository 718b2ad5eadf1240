import { DeadlineError, LengthMismatchError, OptionError, RankLostError, TransportError, type Transport } from '@syncopate/core';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import type { SparseVector } from './algorithms/sparse-vector.js';
import { DEFAULT_LINK } from './cost-model.js';
import { TransportCollective } from './transport-collective.js';

// Error cases and specific behaviour; the general properties are in properties.test.ts.
const ring = (t: Transport) => new TransportCollective(t, { name: 'test', choice: 'ring', link: DEFAULT_LINK, preferNative: false });

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

describe('bad input', () => {
  it('a root outside the job is an OptionError naming it', async () => {
    await expect(runSimulated(2, (t) => ring(t).broadcast(new Uint8Array(4), 2))).rejects.toThrow(/option 'root' must be a rank in \[0, 1\], got 2/);
  });

  it('reduce-scatter counts that do not sum to the length are an OptionError', async () => {
    await expect(runSimulated(2, (t) => ring(t).reduceScatter(new Float32Array(5), [2, 2]))).rejects.toThrow(/option 'counts' must sum to the buffer length 5, got 4/);
  });

  it.each(['ring', 'recursive-doubling', 'binary-tree'] as const)('%s: ranks passing different lengths get a LengthMismatchError, not a hang', async (choice) => {
    const run = runSimulated({ ranks: 3, timeoutMs: 10_000 }, (t) =>
      new TransportCollective(t, { name: 'test', choice, link: DEFAULT_LINK, preferNative: false }).allreduce(new Float32Array(t.rank === 1 ? 7 : 6)),
    );
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(causes(error).some((e) => e instanceof LengthMismatchError)).toBe(true);
  });

  it('a rank that never joins makes the others fail (lost rank or deadline), not hang', async () => {
    const error = await runSimulated(3, async (t) => {
      if (t.rank === 2) return; // leaves without taking part
      await ring(t).allreduce(new Float32Array(10), { timeoutMs: 50 });
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(causes(error).some((e) => e instanceof RankLostError || e instanceof DeadlineError)).toBe(true);
  });

  it('a buffer of the wrong type is an OptionError, and the calls queued after it do not run', async () => {
    const { results } = await runSimulated(1, async (t) => {
      const c = ring(t);
      const bad = c.allreduce(new Float64Array(3) as unknown as Float32Array).catch((e: unknown) => e);
      const later = c.allreduce(new Float32Array(3)).catch((e: unknown) => e);
      return [await bad, await later];
    });
    expect(results[0]![0]).toBeInstanceOf(OptionError);
    expect(String(results[0]![0])).toMatch(/test: option 'allreduce buffer' must be a Float32Array, got a Float64Array/);
    expect(results[0]![1]).toBeInstanceOf(TransportError);
  });

  it('votes other than −1, 0, +1 are an OptionError', async () => {
    await expect(runSimulated(2, (t) => ring(t).vote(Int8Array.of(1, 5)))).rejects.toThrow(/option 'signs' must hold only -1, 0 or \+1, got 5 at index 1/);
  });

  it('an aborted signal rejects the call with an AbortedError', async () => {
    const controller = new AbortController();
    controller.abort('stop');
    await expect(runSimulated(2, (t) => ring(t).allreduce(new Float32Array(4), { signal: controller.signal }))).rejects.toThrow(/was aborted: stop/);
  });
});

describe('globalTopK', () => {
  it('keeps the k largest global entries when each rank holds one large entry of its own', async () => {
    // Rank r holds 100 + 10r at index r and 0.5 at 32 + r: the global top-4 of 8 ranks is ranks 4…7's large entries.
    const vectors = Array.from({ length: 8 }, (_, r): SparseVector => ({ length: 64, indices: Int32Array.of(r, 32 + r), values: Float32Array.of(100 + 10 * r, 0.5) }));
    const { results } = await runSimulated(8, (t) => ring(t).globalTopK(vectors[t.rank]!, 4));
    for (const r of results) {
      expect([...r.indices]).toEqual([4, 5, 6, 7]);
      expect([...r.values]).toEqual([140, 150, 160, 170]);
    }
  });
});

describe('ring allreduce with the default 1 MiB segments', () => {
  it('sums a 3 MB buffer that travels in several segments per block', async () => {
    const length = 750_001;
    const { results } = await runSimulated(2, async (t) => {
      const buffer = Float32Array.from({ length }, (_, i) => (i % 97) + t.rank);
      await ring(t).allreduce(buffer);
      return buffer;
    });
    for (const buffer of results) {
      let wrong = 0;
      for (let i = 0; i < length; i++) if (buffer[i] !== 2 * (i % 97) + 1) wrong++;
      expect(wrong).toBe(0);
    }
  });
});

describe('algorithmFor', () => {
  it('reports native when the transport has a native allreduce, and the cost model’s choice otherwise', async () => {
    await runSimulated(4, (t) => {
      const native = new TransportCollective(t, { name: 'n', choice: 'native', link: DEFAULT_LINK, preferNative: true });
      expect(native.algorithmFor(4e7)).toBe(t.collectives.allreduce ? 'native' : 'ring');
      const auto = new TransportCollective(t, { name: 'a', choice: 'auto', link: DEFAULT_LINK, preferNative: true });
      expect(auto.algorithmFor(64)).toBe('recursive-doubling');
      expect(auto.algorithmFor(4e7)).toBe('ring');
    });
  });
});
