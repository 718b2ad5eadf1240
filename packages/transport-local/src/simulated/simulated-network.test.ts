import { OptionError, createRng } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { DeadlockError } from '../errors.js';
import { runSimulated, simulatedNetwork } from './simulated-network.js';

describe('simulated network cost model', () => {
  it('delivers b bytes at α + b/B and frees the sender at b/B', async () => {
    const { results } = await runSimulated({ ranks: 2, latencyMs: 2, bytesPerMs: 100 }, async (t) => {
      if (t.rank === 0) {
        await t.send(1, 0, new Uint8Array(1000));
        return t.clock.now();
      }
      await t.recv(0, 0);
      return t.clock.now();
    });
    expect(results).toEqual([10, 12]);
  });

  it('serialises a rank’s sends on its egress link but not its receives (full duplex)', async () => {
    const { results } = await runSimulated({ ranks: 3, latencyMs: 2, bytesPerMs: 100 }, async (t) => {
      if (t.rank === 0) {
        // Two sends at once leave one after the other; the incoming message does not wait for them.
        const [, , incoming] = await Promise.all([t.send(1, 0, new Uint8Array(1000)), t.send(2, 0, new Uint8Array(1000)), t.recv(2, 1).then(() => t.clock.now())]);
        return incoming;
      }
      if (t.rank === 2) await t.send(0, 1, new Uint8Array(500));
      await t.recv(0, 0);
      return t.clock.now();
    });
    expect(results).toEqual([7, 12, 22]);
  });

  it('applies per-link overrides, later ones winning, only to the links they name', async () => {
    const links = [
      { from: 0, latencyMs: 5 },
      { from: 0, to: 2, bytesPerMs: 50 },
    ];
    const { results } = await runSimulated({ ranks: 3, latencyMs: 1, bytesPerMs: 100, links }, async (t) => {
      if (t.rank === 0) {
        await t.send(1, 0, new Uint8Array(100));
        await t.send(2, 0, new Uint8Array(100));
      } else if (t.rank === 1) {
        await t.recv(0, 0);
        await t.send(2, 1, new Uint8Array(100));
      } else {
        await Promise.all([t.recv(0, 0).then(() => t.clock.now()), t.recv(1, 1).then(() => t.clock.now())]).then(([a, b]) => [a, b]);
      }
      return t.clock.now();
    });
    // 0→1: 1 + 5 = 6; 0→2 leaves at 1, takes 100/50 = 2 → 3, arrives 3 + 5 = 8; 1→2 leaves at 6, arrives 6 + 1 + 1 = 8.
    expect(results).toEqual([3, 7, 8]);
  });

  it('costs nothing for a rank messaging itself', async () => {
    const { timeMs } = await runSimulated({ ranks: 1, latencyMs: 10, bytesPerMs: 1 }, async (t) => {
      await Promise.all([t.send(0, 0, new Uint8Array(1000)), t.recv(0, 0)]);
    });
    expect(timeMs).toBe(0);
  });

  it('lets communication overlap modelled compute: the clock is the later of the two, not their sum', async () => {
    const { results } = await runSimulated({ ranks: 2, latencyMs: 2, bytesPerMs: 100 }, async (t) => {
      if (t.rank === 1) return void (await t.send(0, 0, new Uint8Array(1000)));
      const early = t.recv(1, 0);
      await t.advance(20); // the message arrives at 12, during the compute
      await early;
      const afterEarly = t.clock.now();
      return afterEarly;
    });
    expect(results[0]).toBe(20);
  });

  it('models stragglers with computeMs: a collective waits for the slowest rank', async () => {
    const computeMs = (rank: number, step: number) => (rank === 2 ? 30 : 10) * (step + 1);
    const { finishMs } = await runSimulated({ ranks: 4, latencyMs: 1, computeMs }, async (t) => {
      for (let step = 0; step < 2; step++) {
        await t.compute(step);
        await t.barrier();
      }
    });
    // Step 0: ranks leave the barrier at 31, 32, 30, 31. Step 1 entries: ranks 0, 1, 3 by 52 (+20),
    // rank 2 at 30 + 60 = 90.
    // Dissemination barrier, α = 1: round 1 (r → r + 1) and round 2 (r → r + 2). Rank 3 hears rank 2
    // at 91 and rank 1 (early) → 91; rank 0 hears rank 3 early, then rank 2's round-2 message at 91;
    // rank 1 hears rank 0 early, then rank 3's round-2 message (sent at 91) at 92; rank 2 has heard
    // everyone by the time it enters → 90. Nobody leaves before the last rank entered (90).
    expect(finishMs).toEqual([91, 92, 90, 91]);
  });

  it('gives the same results and times on every run of a random workload', async () => {
    const workload = () =>
      runSimulated({ ranks: 5, latencyMs: 0.3, bandwidthGbps: 0.01, computeMs: (rank, step) => createRng({ seed: 3, rank, step, stream: 'c' }).nextFloat() * 5 }, async (t) => {
        const rng = createRng({ seed: 9, rank: t.rank, step: 0, stream: 'w' });
        const x = new Float64Array(97).map(() => rng.nextFloat());
        for (let step = 0; step < 6; step++) {
          await t.compute(step);
          const peer = (t.rank + 1 + rng.nextInt(t.size - 1)) % t.size;
          await t.send(peer, step, new Uint8Array(rng.nextInt(5000)));
          await t.collectives.allreduce!(x, 'sum');
        }
        return { x0: x[0], now: t.clock.now(), stats: t.stats };
      }).catch((e) => e);
    const first = await workload();
    const second = await workload();
    expect(second).toEqual(first);
  });
});

describe('simulated network deadlines, deadlocks and failures', () => {
  it('fails a receive at its deadline in virtual time and leaves the late message for the next receive', async () => {
    const { results } = await runSimulated({ ranks: 2, latencyMs: 1 }, async (t) => {
      if (t.rank === 1) {
        await t.advance(80);
        await t.send(0, 4, new Uint8Array([7]));
        return [];
      }
      const error = await t.recv(1, 4, { timeoutMs: 50 }).catch((e: Error) => e);
      const atDeadline = t.clock.now();
      const late = await t.recv(1, 4);
      return [(error as Error).name, atDeadline, late[0], t.clock.now()];
    });
    expect(results[0]).toEqual(['DeadlineError', 50, 7, 81]);
  });

  it('detects a deadlock and names every blocked rank and what it waits for', async () => {
    const run = runSimulated(3, async (t) => {
      if (t.rank === 2) await t.barrier();
      else await t.recv((t.rank + 1) % 3, 5);
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlockError);
    const deadlock = error as DeadlockError;
    expect([...deadlock.waits.keys()]).toEqual([0, 1, 2]);
    expect(deadlock.message).toContain('rank 0 waits in recv(source 1, tag 5)');
    expect(deadlock.message).toContain('rank 1 waits in recv(source 2, tag 5)');
    expect(deadlock.message).toMatch(/rank 2 waits in barrier #1 on rank 2 \(waiting for rank \d\)/);
  });

  it('detects a deadlock when transports are used directly, without run', async () => {
    const net = simulatedNetwork({ ranks: 2 });
    const outcomes = await Promise.allSettled(net.transports.map((t) => t.recv(1 - t.rank, 0)));
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).name)).toEqual(['DeadlockError', 'DeadlockError']);
  });

  it('fails the run naming a rank that throws; ranks waiting on it get a RankLostError instead of hanging', async () => {
    const lost: unknown[] = [];
    const run = runSimulated(3, async (t) => {
      if (t.rank === 1) throw new Error('boom');
      await t.recv(1, 0).catch((e: unknown) => {
        lost.push(e);
        throw e;
      });
    });
    await expect(run).rejects.toThrow(/^rank 1 failed: Error: boom \(then ranks 0, 2 failed too\)$/);
    expect(lost.map((e) => (e as Error).message)).toEqual(['rank 1 was lost: it failed: Error: boom', 'rank 1 was lost: it failed: Error: boom']);
  });

  it('tells a receive waiting on a rank that finished without sending that it never will', async () => {
    const run = runSimulated(2, async (t) => {
      if (t.rank === 0) return 'done';
      return t.recv(0, 0);
    });
    await expect(run).rejects.toThrow('rank 1 failed: RankLostError: rank 0 was lost: it has finished');
  });

  it('checks its options, naming the option and the allowed range', () => {
    expect(() => simulatedNetwork({ ranks: 0 })).toThrow(new OptionError('simulatedNetwork', 'ranks', 'must be an integer >= 1, got 0'));
    expect(() => simulatedNetwork({ ranks: 2, latencyMs: -1 })).toThrow(/'latencyMs' must be a finite number >= 0, got -1/);
    expect(() => simulatedNetwork({ ranks: 2, bandwidthGbps: 1, bytesPerMs: 5 })).toThrow(/pass one of them/);
    expect(() => simulatedNetwork({ ranks: 2, latency: 1 } as never)).toThrow(/did you mean 'latencyMs'/);
    expect(() => simulatedNetwork({ ranks: 2, links: [{ from: 2 }] })).toThrow(/'links\[0\]\.from' must be an integer >= 0 <= 1, got 2/);
    expect(() => simulatedNetwork({ ranks: 2, computeMs: 'fast' as never })).toThrow(/'computeMs' must be a number of ms >= 0 or a function/);
  });

  it('rejects a negative modelled compute time', async () => {
    const [t] = simulatedNetwork({ ranks: 1 }).transports;
    await expect(t!.advance(-1)).rejects.toThrow(OptionError);
  });
});
