import { describe, expect, it } from 'vitest';
import { PeerWatch, processExists } from './peer-watch.js';

const peers = [
  { pid: 100, host: 'a' },
  { pid: 101, host: 'a' },
  { pid: 102, host: 'b' },
  { pid: 103, host: 'a' },
];

describe('PeerWatch', () => {
  it('calls a rank lost only when its process on this host is gone', () => {
    const watch = new PeerWatch(peers, 0, (pid) => pid !== 101 && pid !== 102, 0, () => {});
    expect(watch.lost()).toEqual([1]);
    expect(watch.lost([2, 3])).toEqual([]);
    expect(watch.unknown([0, 1, 2, 3])).toEqual([2]);
    expect(watch.where(1)).toBe('pid 101 on a');
  });

  it('checks while held, and reports the lost ranks', async () => {
    let alive = true;
    const reports: number[][] = [];
    const watch = new PeerWatch(peers, 0, (pid) => alive || pid !== 103, 5, (lost) => reports.push([...lost]));
    watch.hold();
    alive = false;
    await new Promise((resolve) => setTimeout(resolve, 40));
    watch.release();
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]).toEqual([3]);
    // Released: the timer may tick on, but it checks nothing.
    const seen = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reports.length).toBe(seen);
    watch.stop();
  });

  it('tells this process exists and a reaped one does not', () => {
    expect(processExists(process.pid)).toBe(true);
    expect(processExists(2 ** 22 + 12345)).toBe(false);
  });
});
