import { describe, expect, it } from 'vitest';
import { Traffic } from './traffic.js';

/** Counters of every rank after each ran `count` once. */
function everyRank(size: number, count: (traffic: Traffic, rank: number) => void): Traffic[] {
  return Array.from({ length: size }, (_, rank) => {
    const traffic = new Traffic();
    count(traffic, rank);
    return traffic;
  });
}

const sum = (all: Traffic[], key: 'bytesSent' | 'bytesReceived') => all.reduce((a, t) => a + t[key], 0);

describe('Traffic', () => {
  it('counts messages exactly', () => {
    const traffic = new Traffic();
    traffic.message(100, 0);
    traffic.message(0, 40);
    expect(traffic.snapshot()).toEqual({ bytesSent: 100, bytesReceived: 40, messagesSent: 1 });
  });

  it('models ring allreduce: 2(n-1)/n of the buffer each way', () => {
    const traffic = new Traffic();
    traffic.allreduce(4000, 4);
    expect(traffic.snapshot()).toEqual({ bytesSent: 6000, bytesReceived: 6000, messagesSent: 6 });
    const alone = new Traffic();
    alone.allreduce(4000, 1);
    expect(alone.bytesSent).toBe(0);
  });

  it.each([1, 2, 3, 5, 8, 13])('conserves bytes over %i ranks: what all send, all receive', (size) => {
    const parts = Array.from({ length: size }, (_, r) => 10 * r + 3);
    for (const root of new Set([0, size - 1])) {
      const broadcast = everyRank(size, (t, r) => t.broadcast(1000, root, r, size));
      expect(sum(broadcast, 'bytesSent')).toBe(1000 * (size - 1));
      expect(sum(broadcast, 'bytesReceived')).toBe(1000 * (size - 1));
      const gather = everyRank(size, (t, r) => t.gather(parts, root, r));
      expect(sum(gather, 'bytesSent')).toBe(sum(gather, 'bytesReceived'));
    }
    const allgather = everyRank(size, (t, r) => t.allgather(parts, r));
    expect(sum(allgather, 'bytesSent')).toBe(sum(allgather, 'bytesReceived'));
    const reduceScatter = everyRank(size, (t, r) => t.reduceScatter(parts, r));
    expect(sum(reduceScatter, 'bytesSent')).toBe(sum(reduceScatter, 'bytesReceived'));
  });
});
