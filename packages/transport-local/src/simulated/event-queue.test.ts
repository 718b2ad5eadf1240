import { createRng } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

describe('EventQueue', () => {
  it('fires events by time, ties in scheduling order, and never fires a cancelled one', () => {
    const queue = new EventQueue();
    const rng = createRng({ seed: 1, rank: 0, step: 0, stream: 'events' });
    const fired: Array<[number, number]> = [];
    const scheduled: Array<[number, number, boolean]> = [];
    for (let i = 0; i < 500; i++) {
      const time = rng.nextInt(40);
      const event = queue.add(time, () => fired.push([time, i]));
      const cancel = rng.nextFloat() < 0.2;
      if (cancel) event.cancel();
      scheduled.push([time, i, cancel]);
    }
    for (let time = queue.peekTime(); time !== undefined; time = queue.peekTime()) queue.fireAt(time);
    const expected = scheduled.filter(([, , cancelled]) => !cancelled).map(([t, i]) => [t, i]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(fired).toEqual(expected);
  });
});
