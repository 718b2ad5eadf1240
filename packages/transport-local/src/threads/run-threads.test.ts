import { OptionError } from '@syncopate/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../test/ensure-built.js';
import { runThreads } from './run-threads.js';

const fixture = new URL('../../test/fixtures/ranks.mjs', import.meta.url);

beforeAll(() => ensureBuilt('core', 'transport-local'), 120_000);

describe('runThreads', () => {
  it('gives each rank its transport and the arguments, and returns the results by rank', async () => {
    const results = await runThreads({ ranks: 3, module: fixture, exportName: 'echo', args: { x: [1, 2] } });
    expect(results).toEqual([0, 1, 2].map((rank) => ({ rank, size: 3, name: 'local-threads', args: { x: [1, 2] } })));
  });

  it('sums exactly with real concurrency, every round, on every rank', async () => {
    const ranks = 4;
    const rounds = 25;
    const length = 37;
    const results = await runThreads<number[][]>({ ranks, module: fixture, exportName: 'sums', args: { rounds, length } });
    for (let round = 0; round < rounds; round++) {
      const expected = Array.from({ length }, (_, i) => {
        let sum = 0;
        for (let r = 0; r < ranks; r++) sum += ((r + 1) * (i + 1) * (round + 1)) % 1000;
        return sum;
      });
      for (const result of results) expect(result[round]).toEqual(expected);
    }
  });

  it('streams messages larger than the mailboxes in both directions at once without deadlock', async () => {
    const results = await runThreads({ ranks: 3, module: fixture, exportName: 'crossing', args: { bytes: 300_000 }, mailboxBytes: 4096 });
    expect(results).toEqual([true, true, true]);
  });

  it('fails the run naming a rank that throws, and the ranks waiting on it stop waiting', async () => {
    const start = performance.now();
    const run = runThreads({ ranks: 4, module: fixture, exportName: 'throwsOnRank', args: { bad: 2 }, callTimeoutMs: 20_000 });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e as Error & { ranks: number[]; cause: Error },
    );
    expect(error?.message).toMatch(/^rank 2 failed: Error: boom on rank 2 \(then ranks [013], [013], [013] failed too\)$/);
    expect(error?.ranks[0]).toBe(2);
    expect(error?.cause.message).toBe('boom on rank 2');
    // The waiting ranks failed with RankLostError long before their 20 s call deadline.
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  it('fails the run naming a rank whose thread exits without a result', async () => {
    await expect(runThreads({ ranks: 3, module: fixture, exportName: 'exitsOnRank', args: { bad: 1 } })).rejects.toThrow(
      /^rank 1 failed: TransportError: its thread exited \(code 7\) without a result/,
    );
  });

  it('stops a run that passes its deadline, naming the ranks still running', async () => {
    await expect(runThreads({ ranks: 2, module: fixture, exportName: 'hangs', timeoutMs: 300 })).rejects.toThrow(
      'runThreads did not finish within 300 ms: ranks 0, 1 still running',
    );
  });

  it('names a missing export', async () => {
    await expect(runThreads({ ranks: 1, module: fixture, exportName: 'nope' })).rejects.toThrow(/has no exported function 'nope'/);
  });

  it('checks its options at once', async () => {
    await expect(runThreads({ ranks: 0, module: fixture })).rejects.toThrow(OptionError);
    await expect(runThreads({ ranks: 2, module: fixture, mailboxBytes: 5000 })).rejects.toThrow(/'mailboxBytes' must be a power of two/);
    await expect(runThreads({ ranks: 2, module: fixture, timeoutMS: 5 } as never)).rejects.toThrow(/did you mean 'timeoutMs'/);
  });
});
