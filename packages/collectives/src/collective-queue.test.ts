import { AbortedError, TransportError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { CollectiveQueue } from './collective-queue.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CollectiveQueue', () => {
  it('starts each call only after the previous one has finished, in call order', async () => {
    const queue = new CollectiveQueue('test');
    const log: string[] = [];
    const op = (name: string, ms: number) =>
      queue.run(name, undefined, async () => {
        log.push(`start ${name}`);
        await delay(ms);
        log.push(`end ${name}`);
        return name;
      });
    const results = await Promise.all([op('a', 20), op('b', 1), op('c', 5)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('after a failure, rejects every later call with a TransportError carrying the first cause', async () => {
    const queue = new CollectiveQueue('ring');
    const boom = new Error('peer vanished');
    const failed = queue.run('allreduce', undefined, async () => {
      throw boom;
    });
    let ran = false;
    const later = queue.run('allgather', undefined, async () => {
      ran = true;
    });
    await expect(failed).rejects.toBe(boom);
    await expect(later).rejects.toThrow(TransportError);
    await expect(later).rejects.toThrow(/ring: allgather not started because an earlier allreduce failed/);
    expect(ran).toBe(false);
    expect(queue.failed).toBe(true);
  });

  it('rejects a call whose signal was aborted before its turn, without running it', async () => {
    const queue = new CollectiveQueue('q');
    const controller = new AbortController();
    const first = queue.run('allreduce', undefined, () => delay(5));
    const second = queue.run('max', controller.signal, async () => 'ran');
    controller.abort('user stop');
    await first;
    await expect(second).rejects.toThrow(AbortedError);
    await expect(second).rejects.toThrow(/q.max was aborted: user stop/);
  });
});
