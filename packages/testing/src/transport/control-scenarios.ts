import { check, checkBytes, checkRejects } from './check.js';
import { exchange, nextRank, previousRank, sleepOn, type TransportScenario } from './scenario.js';

/** No rank leaves a barrier before every rank has entered it: rank 0 enters late, the others must wait for it. */
const barrier: TransportScenario = {
  name: 'barrier waits for every rank',
  async run(t, ctx) {
    await t.barrier(ctx.call);
    const start = t.clock.now();
    if (t.rank === 0) await sleepOn(t, ctx.tagBase, ctx.shortTimeoutMs * 2);
    await t.barrier(ctx.call);
    const waited = t.clock.now() - start;
    // Half the delay: real clocks of ranks leave the first barrier a little apart.
    check(waited >= ctx.shortTimeoutMs, `rank ${t.rank} left the barrier ${waited.toFixed(1)} ms after the previous one, before rank 0 (${ctx.shortTimeoutMs * 2} ms late) had entered`);
  },
};

/** A receive that nobody answers rejects with a DeadlineError once its timeout has passed, not before and not much later. */
const deadline: TransportScenario = {
  name: 'a receive nobody answers meets its deadline',
  async run(t, ctx) {
    const start = t.clock.now();
    await checkRejects(() => t.recv(previousRank(t), ctx.tagBase, { timeoutMs: ctx.shortTimeoutMs }), 'DEADLINE', `recv with timeoutMs ${ctx.shortTimeoutMs} that nobody answers`);
    const elapsed = t.clock.now() - start;
    const slack = Math.max(2000, 20 * ctx.shortTimeoutMs);
    check(elapsed >= ctx.shortTimeoutMs - 1, `the deadline fired after ${elapsed.toFixed(1)} ms, before its ${ctx.shortTimeoutMs} ms`);
    check(elapsed <= ctx.shortTimeoutMs + slack, `the deadline fired after ${elapsed.toFixed(1)} ms, far past its ${ctx.shortTimeoutMs} ms`);
  },
};

/** An AbortSignal cancels a receive (already aborted or aborted while it waits), and the aborted receive takes no message. */
const abort: TransportScenario = {
  name: 'AbortSignal cancels a receive',
  async run(t, ctx) {
    const tag = ctx.tagBase;
    await checkRejects(() => t.recv(previousRank(t), tag, { ...ctx.call, signal: AbortSignal.abort('stop') }), 'ABORTED', 'recv with an aborted signal');
    const controller = new AbortController();
    const pending = t.recv(previousRank(t), tag, { ...ctx.call, signal: controller.signal });
    controller.abort('stop');
    await checkRejects(() => pending, 'ABORTED', 'recv aborted while waiting');
    await t.barrier(ctx.call);
    const got = await exchange(t, nextRank(t), previousRank(t), tag, new Uint8Array([t.rank, 7]), ctx.call);
    checkBytes(got, new Uint8Array([previousRank(t), 7]), 'the message sent after the aborted receives');
  },
};

/** Traffic counters count every point-to-point byte and message exactly. */
const stats: TransportScenario = {
  name: 'stats count point-to-point traffic',
  async run(t, ctx) {
    const before = { ...t.stats };
    const bytes = 1000 + t.rank;
    const sender = previousRank(t);
    await exchange(t, nextRank(t), sender, ctx.tagBase, new Uint8Array(bytes), ctx.call);
    const after = t.stats;
    check(after.bytesSent - before.bytesSent === bytes, `bytesSent grew by ${after.bytesSent - before.bytesSent}, expected ${bytes}`);
    check(after.messagesSent - before.messagesSent === 1, `messagesSent grew by ${after.messagesSent - before.messagesSent}, expected 1`);
    check(after.bytesReceived - before.bytesReceived === 1000 + sender, `bytesReceived grew by ${after.bytesReceived - before.bytesReceived}, expected ${1000 + sender}`);
  },
};

/** split groups ranks by colour, orders them by key, and the sub-transport's messages never mix with the parent's. */
const split: TransportScenario = {
  name: 'split by colour and key',
  needs: ['split'],
  async run(t, ctx) {
    const color = t.rank % 2;
    const sub = await t.split!(color, t.size - t.rank, ctx.call);
    try {
      const members = Array.from({ length: t.size }, (_, r) => r)
        .filter((r) => r % 2 === color)
        .reverse();
      check(sub.size === members.length, `the colour-${color} sub-transport has ${sub.size} ranks, expected ${members.length}`);
      check(sub.rank === members.indexOf(t.rank), `world rank ${t.rank} is rank ${sub.rank} of its sub-transport, expected ${members.indexOf(t.rank)} (keys descend)`);
      const tag = ctx.tagBase;
      const [viaSub, viaParent] = await Promise.all([
        exchange(sub, nextRank(sub), previousRank(sub), tag, new Int32Array([t.rank, 1]), ctx.call),
        exchange(t, nextRank(t), previousRank(t), tag, new Int32Array([t.rank, 2]), ctx.call),
      ]);
      const fromSub = new Int32Array(viaSub.slice().buffer);
      const fromParent = new Int32Array(viaParent.slice().buffer);
      check(fromSub[1] === 1 && fromSub[0] === members[previousRank(sub)], `the sub-transport delivered [${fromSub.join(', ')}]`);
      check(fromParent[1] === 2 && fromParent[0] === previousRank(t), `the parent delivered [${fromParent.join(', ')}] while its sub-transport used the same tag`);
      await sub.barrier(ctx.call);
    } finally {
      await sub.dispose();
    }
  },
};

/** Barrier, deadline, abort, counters and split properties of the contract. */
export const controlScenarios: readonly TransportScenario[] = [barrier, deadline, abort, stats, split];
