import { MAX_TAG, type Transport } from '@syncopate/core';
import { bytesOf, check, checkBytes, checkRejects } from './check.js';
import { randomBytes } from './random-data.js';
import { exchange, nextRank, previousRank, type ScenarioContext, type TransportScenario } from './scenario.js';

/** Ranks are 0..size−1, every rank agrees on the size, and the transport has a name. */
const identity: TransportScenario = {
  name: 'rank and size',
  async run(t, ctx) {
    check(typeof t.name === 'string' && t.name.length > 0, `name must be a non-empty string, got ${String(t.name)}`);
    check(Number.isInteger(t.size) && t.size >= 1, `size must be an integer >= 1, got ${t.size}`);
    check(Number.isInteger(t.rank) && t.rank >= 0 && t.rank < t.size, `rank must be in [0, ${t.size - 1}], got ${t.rank}`);
    const received = new Int32Array((await exchange(t, nextRank(t), previousRank(t), ctx.tagBase, new Int32Array([t.rank, t.size]), ctx.call)).slice().buffer);
    check(received[0] === previousRank(t), `rank ${t.rank} heard from rank ${received[0]} on the link from rank ${previousRank(t)}`);
    check(received[1] === t.size, `rank ${previousRank(t)} says size ${received[1]}, rank ${t.rank} says ${t.size}`);
  },
};

/** Messages between one pair with one tag arrive in send order, from every sender (itself included). */
const ordering: TransportScenario = {
  name: 'point-to-point order per pair and tag',
  async run(t, ctx) {
    const count = 16;
    const tag = ctx.tagBase;
    const sends: Promise<void>[] = [];
    for (let dest = 0; dest < t.size; dest++) {
      for (let i = 0; i < count; i++) sends.push(t.send(dest, tag, new Int32Array(1 + (i % 5)).fill(i * 1000 + t.rank), ctx.call));
    }
    const receives = Array.from({ length: t.size }, async (_, source) => {
      for (let i = 0; i < count; i++) {
        const got = new Int32Array((await t.recv(source, tag, ctx.call)).slice().buffer);
        check(got.length === 1 + (i % 5) && got[0] === i * 1000 + source, () => `message ${i} from rank ${source} came out of order (got ${got[0]})`);
      }
    });
    await Promise.all([...sends, ...receives]);
  },
};

/** A receive on one tag never takes a message sent with another. */
const tags: TransportScenario = {
  name: 'tags do not mix',
  async run(t, ctx) {
    const [a, b] = [ctx.tagBase + 1, ctx.tagBase + 2];
    const to = nextRank(t);
    const from = previousRank(t);
    const sends = Promise.all([t.send(to, a, new Uint8Array([65, t.rank]), ctx.call), t.send(to, b, new Uint8Array([66, t.rank, 0]), ctx.call)]);
    const gotB = await t.recv(from, b, ctx.call);
    const gotA = await t.recv(from, a, ctx.call);
    await sends;
    checkBytes(gotB, new Uint8Array([66, from, 0]), `tag ${b} (received first, sent second)`);
    checkBytes(gotA, new Uint8Array([65, from]), `tag ${a}`);
    const extremes = await Promise.all([exchange(t, to, from, 0, new Uint8Array([1]), ctx.call), exchange(t, to, from, MAX_TAG, new Uint8Array([2]), ctx.call)]);
    checkBytes(extremes[0], new Uint8Array([1]), 'tag 0');
    checkBytes(extremes[1], new Uint8Array([2]), `tag ${MAX_TAG}`);
  },
};

/** `recv` takes messages of any length, zero and large included, and any view (offset or not) is sent as its own bytes. */
const lengths: TransportScenario = {
  name: 'messages of any length',
  async run(t, ctx) {
    const sizes = [0, 1, 7, 4096, 65_537, 1_048_579];
    for (const [i, size] of sizes.entries()) {
      const key = (rank: number) => ({ seed: ctx.seed, rank, step: ctx.index * 100 + i, stream: 'lengths' });
      const got = await exchange(t, nextRank(t), previousRank(t), ctx.tagBase + i, randomBytes(size, key(t.rank)), ctx.call);
      checkBytes(got, randomBytes(size, key(previousRank(t))), `a message of ${size} bytes`);
    }
    // A view into the middle of a larger buffer sends exactly its own bytes.
    const backing = new Float64Array(8).fill(-1);
    const view = new Float64Array(backing.buffer, 16, 3).fill(t.rank + 0.5);
    const got = await exchange(t, nextRank(t), previousRank(t), ctx.tagBase + 50, view, ctx.call);
    checkBytes(got, bytesOf(new Float64Array(3).fill(previousRank(t) + 0.5)), 'a Float64Array view at byte offset 16');
  },
};

/** A rank can message itself. */
const self: TransportScenario = {
  name: 'messages to itself',
  async run(t, ctx) {
    const data = new Uint8Array([t.rank, 1, 2, 3]);
    const got = await exchange(t, t.rank, t.rank, ctx.tagBase, data, ctx.call);
    checkBytes(got, data, 'a message to itself');
  },
};

/** `recvInto` fills a buffer of the exact length, and rejects any other length naming both ranks, consuming the message. */
const recvInto: TransportScenario = {
  name: 'recvInto checks the length',
  async run(t, ctx) {
    const to = nextRank(t);
    const from = previousRank(t);
    const tag = ctx.tagBase;
    const sends = Promise.all([
      t.send(to, tag, new Float32Array([t.rank, 1, 2]), ctx.call),
      t.send(to, tag, new Float32Array([t.rank, 9]), ctx.call),
      t.send(to, tag, new Float32Array([t.rank, 7]), ctx.call),
    ]);
    const exact = new Float32Array(3);
    await t.recvInto(from, tag, exact, ctx.call);
    check(exact[0] === from && exact[2] === 2, `recvInto got [${exact.join(', ')}]`);
    const { error } = await checkRejects(() => t.recvInto(from, tag, new Float32Array(5), ctx.call), 'LENGTH_MISMATCH', 'recvInto with a 20-byte buffer for an 8-byte message');
    check(error.message.includes(`rank ${from}`) && error.message.includes(`rank ${t.rank}`), `the error must name both ranks: ${error.message}`);
    const next = new Float32Array(2);
    await t.recvInto(from, tag, next, ctx.call);
    check(next[1] === 7, `after a length mismatch the next receive must get the next message, got [${next.join(', ')}]`);
    await sends;
  },
};

/** Bad ranks, tags and buffers reject with a typed error instead of throwing or hanging. */
const badArguments: TransportScenario = {
  name: 'bad arguments reject',
  async run(t: Transport, ctx: ScenarioContext) {
    const data = new Uint8Array(1);
    const cases: Array<[string, () => Promise<unknown>]> = [
      [`send to rank ${t.size}`, () => t.send(t.size, 0, data, ctx.call)],
      ['send to rank -1', () => t.send(-1, 0, data, ctx.call)],
      ['send to rank 0.5', () => t.send(0.5, 0, data, ctx.call)],
      [`send with tag ${MAX_TAG + 1}`, () => t.send(t.rank, MAX_TAG + 1, data, ctx.call)],
      ['recv with tag -1', () => t.recv(t.rank, -1, ctx.call)],
      [`recv from rank ${t.size}`, () => t.recv(t.size, 0, ctx.call)],
      ['send of a non-view', () => t.send(t.rank, 0, [1, 2] as unknown as Uint8Array, ctx.call)],
    ];
    for (const [what, call] of cases) {
      const { error } = await checkRejects(call, undefined, what);
      check(typeof error.code === 'string', `${what}: rejected with an untyped ${error.name}: ${error.message}`);
    }
  },
};

/** Point-to-point properties of the contract. */
export const pointToPointScenarios: readonly TransportScenario[] = [identity, ordering, tags, lengths, self, recvInto, badArguments];
