import { AbortedError, DeadlineError, TransportError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { CallGuard } from './call-guard.js';

const never = () => new Promise<never>(() => {});

describe('CallGuard', () => {
  it('rejects when the deadline passes, not before', async () => {
    const guard = new CallGuard('recv #1', { timeoutMs: 40 }, 10_000);
    const start = performance.now();
    const error = await guard.watch(never(), (reason) => reason).catch((e: unknown) => e);
    const elapsed = performance.now() - start;
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toMatch(/recv #1 did not finish within 40 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(39);
    expect(guard.interrupted).toBe(error);
  });

  it('keeps waiting when the interruption is declined', async () => {
    const guard = new CallGuard('recv #2', { timeoutMs: 10 }, 10_000);
    let asked = 0;
    const work = new Promise<string>((resolve) => setTimeout(() => resolve('arrived'), 60));
    await expect(
      guard.watch(work, () => {
        asked++;
        return undefined;
      }),
    ).resolves.toBe('arrived');
    expect(asked).toBe(1);
  });

  it('honours a signal aborted before or during the call', async () => {
    const early = new CallGuard('barrier #1', { signal: AbortSignal.abort('stop') }, 10_000);
    await expect(early.watch(never(), (reason) => reason)).rejects.toBeInstanceOf(AbortedError);
    const controller = new AbortController();
    const late = new CallGuard('barrier #2', { signal: controller.signal }, 10_000);
    const pending = late.watch(never(), (reason) => reason);
    controller.abort('stop');
    await expect(pending).rejects.toThrow(/barrier #2 was aborted: stop/);
  });

  it('settles like its work, and can be failed from outside', async () => {
    const guard = new CallGuard('send #1', undefined, 10_000);
    await expect(guard.watch(Promise.resolve(7), (r) => r)).resolves.toBe(7);
    const failing = new CallGuard('send #2', undefined, 10_000);
    const pending = failing.watch(never(), (r) => r);
    failing.fail(new TransportError('job failed'));
    await expect(pending).rejects.toThrow('job failed');
  });

  it('refuses a timeout that is not a number >= 0', () => {
    expect(() => new CallGuard('recv #3', { timeoutMs: -1 }, 10_000)).toThrow(/option 'timeoutMs' must be a number >= 0/);
    expect(() => new CallGuard('recv #3', { timeoutMs: Number.NaN }, 10_000)).toThrow(TransportError);
    expect(new CallGuard('recv #3', { timeoutMs: Infinity }, 10_000).timeoutMs).toBe(Infinity);
  });
});
