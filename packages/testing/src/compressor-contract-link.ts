import { LengthMismatchError, type ReduceLink } from '@syncopate/core';

interface Round<T> {
  readonly parts: (T | undefined)[];
  readonly waiters: ((result: T[]) => void)[];
  readonly failures: ((error: unknown) => void)[];
  arrived: number;
}

/**
 * `size` in-process `ReduceLink`s that meet each other: the n-th `allreduce` (or `allgather`)
 * of every rank joins the n-th round of that operation, which completes when all ranks have
 * joined. Sums run in rank order, so every rank gets identical bits. Buffers of different
 * lengths in one allreduce reject with a `LengthMismatchError` on every rank.
 *
 * Enough to test a `sum` compressor's `reduce` on several ranks without a transport.
 */
export function linkedReduceRanks(size: number): ReduceLink[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`linkedReduceRanks(size): size must be a positive integer, got ${size}`);
  const sums: Round<Float32Array>[] = [];
  const gathers: Round<Uint8Array>[] = [];
  const calls = Array.from({ length: size }, () => ({ sum: 0, gather: 0 }));

  function join<T>(rounds: Round<T>[], index: number, rank: number, part: T, finish: (parts: T[]) => T[]): Promise<T[]> {
    const round = (rounds[index] ??= { parts: new Array<T | undefined>(size), waiters: [], failures: [], arrived: 0 });
    round.parts[rank] = part;
    round.arrived++;
    const done = new Promise<T[]>((resolve, reject) => {
      round.waiters.push(resolve);
      round.failures.push(reject);
    });
    if (round.arrived === size) {
      try {
        const result = finish(round.parts as T[]);
        round.waiters.forEach((w) => w(result));
      } catch (error) {
        round.failures.forEach((f) => f(error));
      }
    }
    return done;
  }

  return Array.from({ length: size }, (_, rank): ReduceLink => ({
    size,
    async allreduce(buffer: Float32Array): Promise<void> {
      const [sum] = await join(sums, calls[rank]!.sum++, rank, buffer.slice(), (parts) => {
        const lengths = new Map(parts.map((p, r) => [r, p.length]));
        if (new Set(lengths.values()).size > 1) throw new LengthMismatchError('allreduce', lengths);
        const total = new Float32Array(parts[0]!.length);
        for (const p of parts) for (let i = 0; i < total.length; i++) total[i] += p[i]!;
        return [total];
      });
      buffer.set(sum!);
    },
    async allgather(data: Uint8Array): Promise<Uint8Array[]> {
      const parts = await join(gathers, calls[rank]!.gather++, rank, data.slice(), (p) => p);
      return parts.map((p) => p.slice());
    },
  }));
}
