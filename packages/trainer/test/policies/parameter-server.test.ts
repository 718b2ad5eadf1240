import { CompositionError, type Transport } from '@syncopate/core';
import { SYNC_POLICY_TAGS, asynchronousParameterServer, backupWorkers, bsp, staleSynchronous } from '@syncopate/sync-policy';
import { ring, star } from '@syncopate/topology';
import type { SimulatedTransport } from '@syncopate/transport-local';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { onNetwork, stepEvents, type ComputeRecord, type NetworkRun } from './support.js';

const problem = smallProblem(); // 5 ranks × 6 steps of 8 per epoch
const dir = mkdtempSync(join(tmpdir(), 'syncopate-ps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const gapOf = (parameters: Float32Array) => problem.objective(parameters) - problem.optimalLoss;
const startGap = gapOf(problem.layout.allocate());

/** Rank 0 serves; ranks 1–4 train, rank 4 four times slower than the others. */
const STRAGGLER = 4;
const workers = [1, 2, 3, 4];
const stragglerRun = (extra: Partial<NetworkRun> = {}): NetworkRun => ({
  network: { ranks: 5, latencyMs: 1 },
  computeMs: (rank) => (rank === STRAGGLER ? 40 : 10),
  ...extra,
});

/** A transport that reports the virtual time of every push a worker sends to its server. */
function watchingPushes(pushes: { rank: number; at: number }[]) {
  return (transport: SimulatedTransport, rank: number): Transport =>
    new Proxy(transport, {
      get(target, property) {
        if (property === 'send') {
          return (dest: number, tag: number, data: Uint8Array, options?: object) => {
            if (tag === SYNC_POLICY_TAGS.serverRequest && new Float64Array(data.buffer, data.byteOffset, 1)[0] === 1) pushes.push({ rank, at: target.clock.now() });
            return target.send(dest, tag, data, options);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
}

/** The virtual time of each worker's last step event. */
const lastStepAt = (outcomes: { events: unknown[]; times: number[] }[], rank: number) => {
  const { events, times } = outcomes[rank]!;
  return times[events.map((e) => (e as { type: string }).type).lastIndexOf('step')]!;
};

describe('staleSynchronous (SSP) on a parameter server', () => {
  for (const staleness of [0, 2]) {
    it(`never lets a worker start a step more than s = ${staleness} steps ahead of the slowest one, and uses the slack`, async () => {
      const pushes: { rank: number; at: number }[] = [];
      const computes: ComputeRecord[] = [];
      const { outcomes } = await onNetwork(
        stragglerRun({ transport: watchingPushes(pushes), onCompute: (r) => computes.push(r) }),
        problem,
        () => ({ plugins: [star({ server: 0 }), staleSynchronous({ staleness })], evaluate: false }),
        (t) => t.fit({ epochs: 4 }),
      );
      let widest = 0;
      for (const { rank, step, at } of computes.filter((c) => c.rank !== 0)) {
        for (const other of workers) {
          const pushed = pushes.filter((p) => p.rank === other && p.at <= at).length;
          expect(step - pushed, `worker ${rank} started step ${step} at ${at} ms when worker ${other} had pushed ${pushed} steps`).toBeLessThanOrEqual(staleness);
          widest = Math.max(widest, step - pushed);
        }
      }
      expect(widest).toBe(staleness); // the bound is reached: fast workers do run ahead of the straggler
      for (const rank of workers) expect(Math.max(...stepEvents(outcomes[rank]!.events).map((e) => e.traces.ahead!))).toBeLessThanOrEqual(staleness);
      for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
      expect(gapOf(outcomes[0]!.parameters)).toBeLessThan(0.1 * startGap);
    });
  }

  it('pauses as a consistent cut: a run saved at a step and restored on a fresh network finishes on one model', async () => {
    const composition = () => ({ plugins: [star({ server: 0 }), staleSynchronous({ staleness: 1 })], evaluate: false });
    await onNetwork(stragglerRun(), problem, composition, async (t) => {
      await t.fit({ epochs: 4, stopAtStep: 10 });
      await t.save(join(dir, `ssp-${t.rank}.ckpt`));
    });
    const { outcomes } = await onNetwork(stragglerRun(), problem, composition, async (t) => {
      await t.restore(join(dir, `ssp-${t.rank}.ckpt`));
      return t.fit({ epochs: 4 });
    });
    expect(stepEvents(outcomes[1]!.events).map((e) => e.step)[0]).toBe(10);
    for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
    expect(gapOf(outcomes[0]!.parameters)).toBeLessThan(0.1 * startGap);
  });

  it('is refused, naming itself and the topology, without parameter-server ranks', async () => {
    const none = await failureOf(onRanks(2, problem, () => ({ plugins: [staleSynchronous()] }), (t) => t.fit({ epochs: 1 })));
    expect(none).toBeInstanceOf(CompositionError);
    expect(none.message).toMatch(/sync-policy 'staleSynchronous' needs a topology with 'topology:server-ranks'.*but the composition has no topology/);
    const gossip = await failureOf(onRanks(2, problem, () => ({ plugins: [ring(), asynchronousParameterServer()] }), (t) => t.fit({ epochs: 1 })));
    expect(gossip.message).toMatch(/'asynchronousParameterServer' needs a topology with 'topology:server-ranks'.*topology 'ring' does not provide it/);
  });
});

describe('asynchronousParameterServer (ASP)', () => {
  it('does not let a straggler stall the other workers (BSP does), and converges', async () => {
    const asp = await onNetwork(stragglerRun(), problem, () => ({ plugins: [star({ server: 0 }), asynchronousParameterServer()], evaluate: false }), (t) => t.fit({ epochs: 4 }));
    const sync = await onNetwork(stragglerRun(), problem, () => ({ plugins: [bsp()], evaluate: false }), (t) => t.fit({ epochs: 4 }));
    const straggler = lastStepAt(asp.outcomes, STRAGGLER);
    for (const rank of [1, 2, 3]) {
      expect(lastStepAt(asp.outcomes, rank)).toBeLessThan(0.4 * straggler); // 24 steps of ~12 ms vs 24 of ~42 ms
      expect(lastStepAt(sync.outcomes, rank)).toBeGreaterThan(0.9 * lastStepAt(sync.outcomes, STRAGGLER));
      expect(Math.max(...stepEvents(asp.outcomes[rank]!.events).map((e) => e.traces.staleness!))).toBeGreaterThan(0);
    }
    for (const o of asp.outcomes) expect(o.parameters).toEqual(asp.outcomes[0]!.parameters);
    expect(gapOf(asp.outcomes[0]!.parameters)).toBeLessThan(0.1 * startGap);
  });
});

describe('backupWorkers (first n of n + b)', () => {
  it("drops the straggler's late changes instead of waiting for it", async () => {
    const { outcomes } = await onNetwork(stragglerRun(), problem, () => ({ plugins: [star({ server: 0 }), backupWorkers({ backups: 1 })], evaluate: false }), (t) => t.fit({ epochs: 4 }));
    const dropped = (rank: number) => stepEvents(outcomes[rank]!.events).filter((e) => e.traces.dropped === 1).length;
    // While the three fast workers train, each version gets its 3 changes before the straggler's
    // arrives: all of the straggler's are dropped. Once they are done the quorum shrinks to it.
    const fastDone = Math.max(...[1, 2, 3].map((rank) => lastStepAt(outcomes, rank)));
    const { events, times } = outcomes[STRAGGLER]!;
    const meanwhile = events.filter((e, i) => e.type === 'step' && times[i]! < fastDone).map((e) => (e.type === 'step' ? e.traces : {}));
    expect(meanwhile.length).toBeGreaterThanOrEqual(5);
    expect(meanwhile.every((t) => t.dropped === 1)).toBe(true);
    expect(dropped(STRAGGLER)).toBeLessThan(24);
    for (const rank of [1, 2, 3]) {
      expect(dropped(rank)).toBe(0);
      expect(lastStepAt(outcomes, rank)).toBeLessThan(0.4 * lastStepAt(outcomes, STRAGGLER));
    }
    for (const o of outcomes) expect(o.parameters).toEqual(outcomes[0]!.parameters);
    expect(gapOf(outcomes[0]!.parameters)).toBeLessThan(0.1 * startGap);
  });

  it('refuses as many backups as workers, naming the option', async () => {
    const error = await failureOf(onRanks(3, problem, () => ({ plugins: [star({ server: 0 }), backupWorkers({ backups: 2 })] }), (t) => t.fit({ epochs: 1 })));
    expect(error.message).toMatch(/backupWorkers: option 'backups' must be below the number of workers \(2 on this topology\), got 2/);
  });
});
