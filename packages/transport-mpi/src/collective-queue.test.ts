import { describe, expect, it } from 'vitest';
import { CollectiveQueue } from './collective-queue.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CollectiveQueue', () => {
  it('runs one call at a time, in call order', async () => {
    const queue = new CollectiveQueue();
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let most = 0;
    const calls = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0]);
    expect(queue.queued).toBe(2);
    // Finishing the last gate first must not let call 2 overtake call 1.
    gates[2]!.resolve();
    await tick();
    expect(started).toEqual([0]);
    gates[0]!.resolve();
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    expect(await Promise.all(calls)).toEqual([0, 1, 2]);
    expect(most).toBe(1);
    expect(queue.running).toBe(false);
  });

  it('with a depth, starts calls in call order without waiting, at most depth at once', async () => {
    const queue = new CollectiveQueue(2);
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const calls = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(queue.queued).toBe(1);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(calls)).toEqual([0, 1, 2]);
    expect(queue.running).toBe(false);
  });

  it('is open while a call would start at once; a call counted by enter runs until leave', async () => {
    const queue = new CollectiveQueue(1);
    expect(queue.open).toBe(true);
    queue.enter();
    expect([queue.open, queue.running]).toEqual([false, true]);
    const started: string[] = [];
    const next = queue.run(async () => {
      started.push('next');
    });
    await tick();
    expect(started).toEqual([]);
    queue.leave();
    await next;
    expect(started).toEqual(['next']);
    expect([queue.open, queue.running]).toEqual([true, false]);
  });

  it('refuses a depth that is not an integer >= 1', () => {
    expect(() => new CollectiveQueue(0)).toThrow(/depth must be an integer >= 1 or Infinity, got 0/);
    expect(() => new CollectiveQueue(1.5)).toThrow(RangeError);
  });

  it('goes on after a call fails, synchronously or not', async () => {
    const queue = new CollectiveQueue();
    const first = queue.run(() => Promise.reject(new Error('first')));
    const second = queue.run(() => {
      throw new Error('second');
    });
    const third = queue.run(async () => 'third');
    await expect(first).rejects.toThrow('first');
    await expect(second).rejects.toThrow('second');
    await expect(third).resolves.toBe('third');
  });
});
