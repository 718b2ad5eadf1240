import { describe, expect, it } from 'vitest';
import { Deadlines } from './deadlines.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Deadlines', () => {
  it('fires each deadline once, in time, and never a cancelled one', async () => {
    const deadlines = new Deadlines();
    const fired: string[] = [];
    const start = performance.now();
    deadlines.add(start + 30, () => fired.push('late'));
    deadlines.add(start + 10, () => fired.push(`early after ${Math.round(performance.now() - start)}`));
    const cancel = deadlines.add(start + 20, () => fired.push('cancelled'));
    cancel();
    await sleep(60);
    expect(fired).toHaveLength(2);
    expect(fired[0]).toMatch(/^early after (9|[1-2]\d)$/);
    expect(fired[1]).toBe('late');
    expect(deadlines.size).toBe(0);
  });

  it('re-arms for deadlines added while an earlier timer is armed', async () => {
    const deadlines = new Deadlines();
    const fired: number[] = [];
    const start = performance.now();
    const stop = deadlines.add(start + 5, () => fired.push(0));
    stop();
    deadlines.add(start + 25, () => fired.push(1));
    await sleep(50);
    expect(fired).toEqual([1]);
    deadlines.add(performance.now() + 5, () => fired.push(2));
    deadlines.clear();
    await sleep(20);
    expect(fired).toEqual([1]);
  });
});
