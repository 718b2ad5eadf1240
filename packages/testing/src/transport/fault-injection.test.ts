import { OptionError } from '@syncopate/core';
import { runSimulated, simulatedNetwork } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { faultyTransport } from './fault-injection.js';
import { withRanks } from './with-ranks.js';

describe('faultyTransport', () => {
  it('drops the chosen send: it reports success, and the receiver gets the next message instead', async () => {
    const { results } = await runSimulated(2, async (t, rank) => {
      if (rank === 0) {
        const faulty = faultyTransport(t, [{ call: 'send', nth: 1, action: 'drop' }]);
        for (const value of [1, 2, 3]) await faulty.send(1, 0, new Uint8Array([value]));
        await t.recv(1, 1); // stay until rank 1 is done
        return faulty.injected.map((i) => `${i.fault.action} ${i.call} #${i.index}`);
      }
      const first = await t.recv(0, 0);
      const second = await t.recv(0, 0);
      const third = await t.recv(0, 0, { timeoutMs: 100 }).catch((e: Error) => e.name);
      await t.send(0, 1, new Uint8Array(0));
      return [first[0], second[0], third];
    });
    expect(results).toEqual([['drop send #1'], [1, 3, 'DeadlineError']]);
  });

  it('delays the chosen call by delayMs on the given clock', async () => {
    const { results } = await runSimulated({ ranks: 2, latencyMs: 1 }, async (t, rank) => {
      if (rank === 0) {
        const faulty = faultyTransport(t, [{ call: 'any', nth: 0, action: 'delay', delayMs: 25 }], { sleep: (ms) => t.advance(ms) });
        await faulty.send(1, 0, new Uint8Array(1));
      } else await t.recv(0, 0);
      return t.clock.now();
    });
    expect(results).toEqual([25, 26]);
  });

  it('fails only the chosen call, without passing it on, so the next call pairs with the peers’ call', async () => {
    const { results } = await runSimulated(3, async (t, rank) => {
      const faulty = rank === 1 ? faultyTransport(t, [{ call: 'allreduce', nth: 0, action: 'fail' }]) : t;
      const x = new Float32Array([rank]);
      const first = await faulty.collectives.allreduce!(x, 'sum').then(
        () => 'ok',
        (e: Error) => e.message,
      );
      if (rank === 1) await faulty.collectives.allreduce!(x, 'sum');
      return [first, x[0]];
    });
    expect(results).toEqual([
      ['ok', 3],
      ['fault injection: allreduce #0 on rank 1 failed', 3],
      ['ok', 3],
    ]);
  });

  it('kills a rank: its calls fail from then on, and peers waiting on it fail instead of hanging', async () => {
    const net = simulatedNetwork({ ranks: 3 });
    const transports = net.transports.map((t, rank) => (rank === 2 ? faultyTransport(t, [{ call: 'barrier', nth: 1, action: 'kill' }]) : t));
    const run = withRanks(transports, async (t) => {
      await t.barrier();
      await t.barrier();
    });
    const error = (await run.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { ranks: number[] };
    expect(error.message).toMatch(/^withRanks: rank 2 failed: RankLostError: rank 2 was lost: killed by fault injection at barrier #1/);
    expect([...error.ranks].sort()).toEqual([0, 1, 2]);
    expect((transports[2] as ReturnType<typeof faultyTransport>).killed).toBe(true);
  });

  it('checks the faults at once', () => {
    const [t] = simulatedNetwork({ ranks: 1 }).transports;
    expect(() => faultyTransport(t!, [{ call: 'recv', nth: 0, action: 'drop' }])).toThrow(/'drop' applies to sends only/);
    expect(() => faultyTransport(t!, [{ call: 'send', nth: -1, action: 'fail' }])).toThrow(OptionError);
    expect(() => faultyTransport(t!, [{ call: 'sned' as never, nth: 0, action: 'fail' }])).toThrow(/faults\[0\]\.call' must be 'any' or one of send/);
    expect(() => faultyTransport(t!, [{ call: 'send', nth: 0, action: 'delay' }])).toThrow(/delayMs' is required/);
  });
});
