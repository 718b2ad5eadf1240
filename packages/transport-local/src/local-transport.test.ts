import { LengthMismatchError, TransportError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { runSimulated, simulatedNetwork } from './simulated/simulated-network.js';

const settle = <T>(p: Promise<T>) => p.then(
  (value) => ({ ok: true as const, value }),
  (error: Error) => ({ ok: false as const, error }),
);

describe('LocalTransport collectives', () => {
  it('fails an allreduce with different lengths on every rank with the same error, leaving buffers unchanged', async () => {
    const { results } = await runSimulated(4, async (t) => {
      const x = new Float32Array(t.rank === 2 ? 9 : 8).fill(t.rank + 1);
      const outcome = await settle(t.collectives.allreduce!(x, 'sum'));
      return { outcome, unchanged: x.every((v) => v === t.rank + 1) };
    });
    const messages = new Set(results.map(({ outcome }) => (outcome.ok ? 'ok' : outcome.error.message)));
    expect(messages.size).toBe(1);
    for (const { outcome, unchanged } of results) {
      expect(outcome.ok).toBe(false);
      const error = (outcome as unknown as { error: LengthMismatchError }).error;
      expect(error).toBeInstanceOf(LengthMismatchError);
      expect(error.lengths.get(2)).toBe(9);
      expect([...error.lengths].filter(([rank]) => rank !== 2).map(([, n]) => n)).toEqual([8]);
      expect(unchanged).toBe(true);
    }
  });

  it('fails a broadcast only on the rank whose buffer has another length, naming the root and that rank', async () => {
    const { results } = await runSimulated(5, async (t) => {
      const buffer = new Uint8Array(t.rank === 3 ? 2 : 4);
      if (t.rank === 1) buffer.set([1, 2, 3, 4]);
      const outcome = await settle(t.collectives.broadcast!(buffer, 1));
      return outcome.ok ? [...buffer] : outcome.error.message;
    });
    expect(results[3]).toMatch(/broadcast: ranks passed buffers of different lengths \(rank 1: 4, rank 3: 2\)/);
    for (const rank of [0, 1, 2, 4]) expect(results[rank]).toEqual([1, 2, 3, 4]);
  });

  it('reports collectives called in different orders instead of mixing them', async () => {
    const run = runSimulated(2, async (t) => (t.rank === 0 ? t.collectives.allgather!(new Uint8Array(1)) : t.barrier()));
    const error = await run.catch((e: TransportError) => e);
    expect(String((error as TransportError).cause)).toMatch(/rank \d is running (barrier|allgather) #1; every rank must call the same collectives in the same order/);
  });

  it('recovers after a collective failed on one rank: the next collective is correct everywhere', async () => {
    const { results } = await runSimulated({ ranks: 3, latencyMs: 1 }, async (t) => {
      // Rank 0 gives up on the first allreduce at 5 ms; the others only join it at 20 ms.
      if (t.rank !== 0) await t.advance(20);
      const first = await settle(t.collectives.allreduce!(new Float64Array(6).fill(1), 'sum', t.rank === 0 ? { timeoutMs: 5 } : {}));
      const x = new Float64Array(7).fill(t.rank + 1);
      await t.collectives.allreduce!(x, 'sum');
      return { first: first.ok ? 'ok' : first.error.name, second: [...x] };
    });
    expect(results[0]!.first).toBe('DeadlineError');
    for (const result of results) {
      expect(result.first).not.toBe('ok');
      expect(result.second).toEqual(new Array(7).fill(6));
    }
  });

  it('keeps nested splits apart: each level reduces over exactly its own members', async () => {
    const { results } = await runSimulated(8, async (t) => {
      const half = await t.split!(Math.floor(t.rank / 4), t.rank);
      const quarter = await half.split!(half.rank % 2, -half.rank);
      const sums = [t, half, quarter].map(() => new Int32Array([t.rank]));
      await Promise.all([t, half, quarter].map((c, i) => c.collectives.allreduce!(sums[i]!, 'sum')));
      return { half: [half.rank, half.size], quarter: [quarter.rank, quarter.size], sums: sums.map((s) => s[0]) };
    });
    // Ranks 0..3 and 4..7 form the halves; inside a half, even and odd half-ranks form quarters ordered by descending half-rank.
    expect(results[5]).toEqual({ half: [1, 4], quarter: [1, 2], sums: [28, 22, 5 + 7] });
    expect(results[2]).toEqual({ half: [2, 4], quarter: [0, 2], sums: [28, 6, 0 + 2] });
  });

  it('rejects bad arguments with a TransportError that names them', async () => {
    const { results } = await runSimulated(2, async (t) => {
      const errors = await Promise.all([
        settle(t.send(2, 0, new Uint8Array(1))),
        settle(t.recv(0, 40_000)),
        settle(t.collectives.allreduce!(new Uint8Array(2) as never, 'sum')),
        settle(t.collectives.reduceScatter!(new Float32Array(3), [1, 1])),
      ]);
      return errors.map((e) => (e.ok ? 'ok' : `${e.error.name}: ${e.error.message}`));
    });
    expect(results[0]).toEqual([
      'TransportError: send(dest 2, tag 0) on rank 0: dest must be a rank in [0, 1], got 2',
      'TransportError: recv(source 0, tag 40000) on rank 0: tag must be an integer in [0, 32767], got 40000',
      'TransportError: allreduce on rank 0: buffer must be a Float32Array, Float64Array or Int32Array, got a Uint8Array',
      'TransportError: reduceScatter on rank 0: counts add up to 2 but the buffer has 3 elements',
    ]);
  });

  it('rejects pending calls when the transport is disposed, and every call after', async () => {
    const net = simulatedNetwork({ ranks: 2 });
    const [a] = net.transports;
    const pending = settle(a!.recv(1, 0));
    await a!.dispose();
    const outcome = await pending;
    expect(outcome.ok ? 'ok' : outcome.error.message).toMatch(/disposed/);
    await expect(a!.send(1, 0, new Uint8Array(1))).rejects.toThrow(/the transport was disposed/);
  });
});
