import { describe, expect, it } from 'vitest';
import { Deadlines, type Expiring } from './deadlines.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function entry(at: number, fired: string[], name: string, start: number): Expiring {
  return { at, expire: () => fired.push(`${name} after ${Math.round(performance.now() - start)}`) };
}

describe('Deadlines', () => {
  it('expires each entry once, in time, and never a deleted one', async () => {
    const deadlines = new Deadlines();
    const fired: string[] = [];
    const start = performance.now();
    deadlines.add(entry(start + 30, fired, 'late', start));
    deadlines.add(entry(start + 10, fired, 'early', start));
    const deleted = entry(start + 20, fired, 'deleted', start);
    deadlines.add(deleted);
    deadlines.delete(deleted);
    await sleep(60);
    expect(fired).toHaveLength(2);
    expect(fired[0]).toMatch(/^early after (9|[1-2]\d)$/);
    expect(fired[1]).toMatch(/^late after (29|[3-5]\d)$/);
    expect(deadlines.size).toBe(0);
  });

  it('re-arms for entries added while an earlier timer is armed, and stops on clear', async () => {
    const deadlines = new Deadlines();
    const fired: string[] = [];
    const start = performance.now();
    const first = entry(start + 5, fired, 'first', start);
    deadlines.add(first);
    deadlines.delete(first);
    deadlines.add(entry(start + 25, fired, 'second', start));
    await sleep(50);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatch(/^second after/);
    deadlines.add(entry(performance.now() + 5, fired, 'cleared', start));
    deadlines.clear();
    await sleep(20);
    expect(fired).toHaveLength(1);
  });
});
