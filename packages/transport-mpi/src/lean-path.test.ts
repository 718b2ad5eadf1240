import { AbortedError, DeadlineError, LengthMismatchError, TransportError } from '@syncopate/core';
import { describe, expect, it, vi } from 'vitest';
import { MpiTransport } from './mpi-transport.js';
import type { MpiTransportOptions } from './mpi-transport-options.js';
import { FakeMpiBinding, nativeError, type FakeMpiCall } from './testing/index.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Rank 0 of 4, with the addon's fast path finishing every allreduce `finish` accepts. */
function world(options: MpiTransportOptions = {}, finish: (call: FakeMpiCall) => boolean = () => true) {
  const binding = new FakeMpiBinding({ rank: 0, size: 4 });
  binding.finishNow = finish;
  const transport = new MpiTransport(binding, { processExists: () => true, ...options });
  return { binding, transport };
}

describe('the lean path of allreduce, broadcast and barrier', () => {
  it('answers a call the addon finished at once without a deadline, queue entry or tracked call, and counts it', async () => {
    const { binding, transport } = world();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const buffer = new Float32Array(250);
    const done = transport.allreduce(buffer, 'sum');
    // Settled before the caller awaited: nothing is left in flight and no timer was armed.
    expect(binding.pending()).toEqual([]);
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    setTimeoutSpy.mockRestore();
    await expect(done).resolves.toBeUndefined();
    expect(binding.calls.map((c) => [c.method, c.args])).toEqual([['allreduce', [buffer, 'sum', true]]]);
    expect(transport.stats).toEqual({ bytesSent: 1500, bytesReceived: 1500, messagesSent: 6 });
  });

  it('numbers lean calls like the others, so later errors name the right call', async () => {
    const { binding, transport } = world({}, (call) => binding.calls.indexOf(call) < 2);
    await transport.allreduce(new Float32Array(2), 'sum');
    await transport.allreduce(new Int32Array(2), 'max');
    const failing = transport.allreduce(new Float64Array(2), 'min');
    binding.pending('allreduce')[0]!.reject(nativeError('LENGTH_MISMATCH', 'x', { lengths: [2, 2, 3, 2] }));
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LengthMismatchError);
    expect((error as Error).message).toMatch(/^allreduce\(float64, min\) #3 on rank 0: ranks passed buffers of different lengths/);
  });

  it('turns a failure the addon reports at once (a rejected Promise) into a typed error, and goes on', async () => {
    const { binding, transport } = world({}, () => false);
    binding.allreduceNow = (comm, buffer, op, check) => {
      void binding.allreduce(comm, buffer, op, check).catch(() => undefined);
      binding.pending('allreduce')[0]!.resolve();
      return Promise.reject(nativeError('SIGNATURE', 'x', { signatures: ['allreduce(float32, sum) of 4 elements', 'barrier', 'barrier', 'barrier'] }));
    };
    await expect(transport.allreduce(new Float32Array(4), 'sum')).rejects.toThrow(
      'allreduce(float32, sum) #1 on rank 0: ranks called different collectives (rank 0: allreduce(float32, sum) of 4 elements; rank 1: barrier; rank 2: barrier; rank 3: barrier)',
    );
    const next = transport.barrier();
    await tick();
    binding.pending('barrier')[0]!.resolve();
    await expect(next).resolves.toBeUndefined();
  });

  it('watches a call that went on to the communicator thread like any collective: it counts toward the depth and has a deadline', async () => {
    const { binding, transport } = world({ collectiveDepth: 1 }, () => false);
    const stuck = transport.allreduce(new Float32Array(4), 'sum', { timeoutMs: 20 });
    const queued = transport.barrier();
    await tick();
    // Depth 1: the barrier waits for the allreduce the addon still holds.
    expect(binding.pending().map((c) => c.method)).toEqual(['allreduce']);
    const error = await stuck.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toContain('allreduce(float32, sum) #1 on rank 0 did not finish within 20 ms');
    await expect(queued).rejects.toThrow(/barrier #2 on rank 0 cannot finish/);
    binding.pending('allreduce')[0]!.resolve();
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(transport.dispose()).rejects.toThrow(/MPI was aborted/);
    vi.restoreAllMocks();
  });

  it('is not taken while a collective waits in the queue, so call order holds', async () => {
    // The barrier stays with the addon (it did not finish on the JS thread).
    const { binding, transport } = world({ collectiveDepth: 1 }, (call) => call.method !== 'barrier');
    const order: string[] = [];
    const barrier = transport.barrier().then(() => order.push('barrier'));
    const reduced = transport.allreduce(new Float32Array(4), 'sum').then(() => order.push('allreduce'));
    await tick();
    // The allreduce did not overtake the barrier the addon still holds.
    expect(binding.calls.map((c) => c.method)).toEqual(['barrier']);
    binding.pending('barrier')[0]!.resolve();
    await tick();
    expect(binding.calls.map((c) => c.method)).toEqual(['barrier', 'allreduce']);
    binding.pending('allreduce')[0]?.resolve();
    await Promise.all([barrier, reduced]);
    expect(order).toEqual(['barrier', 'allreduce']);
  });

  it('is not taken for an aborted signal, a bad deadline, a failed or a disposed transport', async () => {
    const { binding, transport } = world();
    const controller = new AbortController();
    controller.abort('stop');
    // An aborted signal: the full path, which reports the abort.
    const aborted = await transport.allreduce(new Float32Array(4), 'sum', { signal: controller.signal }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(AbortedError);
    const { transport: fresh, binding: freshBinding } = world();
    await expect(fresh.allreduce(new Float32Array(4), 'sum', { timeoutMs: Number.NaN })).rejects.toThrow(/'timeoutMs' must be a number >= 0/);
    // The first transport failed with the abort: later calls are refused by name.
    await expect(transport.allreduce(new Float32Array(4), 'sum')).rejects.toThrow(/allreduce\(float32, sum\) #2 on rank 0 cannot run/);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await transport.dispose().catch(() => undefined);
    vi.restoreAllMocks();
    expect(binding.calls.map((c) => c.method)).toEqual(['allreduce']);
    // A disposed transport refuses without reaching the addon.
    const calls = freshBinding.calls.length;
    await fresh.dispose();
    const refused = await fresh.allreduce(new Float32Array(4), 'sum').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as Error).message).toMatch(/the transport was disposed/);
    expect(freshBinding.calls.length).toBe(calls);
  });

  it('watches a call handed to the communicator thread: traffic counted when it ends, the queue freed, errors typed', async () => {
    // A large call never finishes on the JS thread: the addon hands it over and returns its Promise.
    const { binding, transport } = world({ collectiveDepth: 1 }, () => false);
    const large = new Float64Array(100_000);
    const reduced = transport.allreduce(large, 'sum');
    const next = transport.barrier();
    await tick();
    expect(binding.calls.map((c) => [c.method, c.args[0] === large])).toEqual([['allreduce', true]]);
    expect(transport.stats.bytesSent).toBe(0);
    binding.pending('allreduce')[0]!.resolve();
    await expect(reduced).resolves.toBeUndefined();
    // Counted as the ring model says, and only once it ended; the barrier could then start.
    expect(transport.stats).toEqual({ bytesSent: 1_200_000, bytesReceived: 1_200_000, messagesSent: 6 });
    await tick();
    binding.pending('barrier')[0]!.resolve();
    await next;
    const failing = transport.allreduce(large, 'max');
    binding.pending('allreduce')[0]!.reject(nativeError('MPI', 'allreduce: MPI_Allreduce failed: MPI_ERR_TRUNCATE: message truncated', { mpiErrorClass: 15 }));
    await expect(failing).rejects.toThrow(/^allreduce\(float64, max\) #3 on rank 0: .*MPI_ERR_TRUNCATE.*\(MPI error class 15\)$/);
    // A failed MPI call does not end the transport: the next call runs.
    const after = transport.barrier();
    await tick();
    binding.pending('barrier')[0]!.resolve();
    await expect(after).resolves.toBeUndefined();
  });

  it('takes barrier and broadcast the same way: answered at once when the addon finished them, counted, numbered', async () => {
    const { binding, transport } = world();
    const data = new Uint8Array(100);
    const done = [transport.barrier(), transport.broadcast(data, 2)];
    expect(binding.pending()).toEqual([]);
    await Promise.all(done);
    expect(binding.calls.map((c) => [c.method, c.args])).toEqual([
      ['barrier', [true]],
      ['broadcast', [data, 2, true]],
    ]);
    // Rank 0 of 4 is rank 2 counted from root 2: a leaf of the binomial tree, it receives once.
    expect(transport.stats).toEqual({ bytesSent: 0, bytesReceived: 100, messagesSent: 0 });
    // A broadcast with a bad root takes the full path, which names it.
    await expect(transport.broadcast(data, 4)).rejects.toThrow(/broadcast\(root 4\) #3 on rank 0: root must be a rank in \[0, 3\], got 4/);
  });

  it('keeps a live signal and a valid deadline on the lean path', async () => {
    const { binding, transport } = world();
    const controller = new AbortController();
    await transport.allreduce(new Float32Array(4), 'sum', { signal: controller.signal, timeoutMs: 5 });
    controller.abort('late');
    await tick();
    // The call had finished: a later abort changes nothing, and the transport stays usable.
    await expect(transport.allreduce(new Float32Array(4), 'max')).resolves.toBeUndefined();
    expect(binding.calls).toHaveLength(2);
  });
});
