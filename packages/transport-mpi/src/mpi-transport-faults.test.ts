import { AbortedError, DeadlineError, RankLostError, TransportError } from '@syncopate/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MpiTransport } from './mpi-transport.js';
import type { MpiTransportOptions } from './mpi-transport-options.js';
import { FakeMpiBinding } from './testing/index.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Three ranks on host `fake`; ranks 1 and 2 are processes 1001 and 1002, alive unless `processExists` says otherwise. */
function world(options: MpiTransportOptions = {}, size = 3) {
  const peers = Array.from({ length: size }, (_, r) => ({ pid: 1000 + r, host: 'fake' }));
  const binding = new FakeMpiBinding({ rank: 0, size, peers });
  options = { processExists: () => true, ...options };
  return { binding, transport: new MpiTransport(binding, options) };
}

afterEach(() => vi.restoreAllMocks());

describe('MpiTransport deadlines, aborts and lost ranks', () => {
  it('withdraws a receive at its deadline and stays usable', async () => {
    const { binding, transport } = world();
    const error = await transport.recv(1, 2, { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toBe('recv(source 1, tag 2) on rank 0 did not finish within 20 ms: no message had arrived; the receive was withdrawn');
    expect(binding.pending('recv')).toEqual([]);
    const next = transport.barrier();
    await tick();
    binding.pending('barrier')[0]!.resolve();
    await expect(next).resolves.toBeUndefined();
  });

  it('lets a receive whose message is arriving finish after its deadline', async () => {
    const { binding, transport } = world();
    const receiving = transport.recv(1, 2, { timeoutMs: 10 });
    await tick();
    const call = binding.pending('recv')[0]!;
    call.matched = true;
    await new Promise((resolve) => setTimeout(resolve, 30));
    call.resolve(new Uint8Array([7]));
    await expect(receiving).resolves.toEqual(new Uint8Array([7]));
  });

  it('aborts a receive through its signal', async () => {
    const { transport } = world();
    const controller = new AbortController();
    const receiving = transport.recv(1, 2, { signal: controller.signal });
    controller.abort('shutting down');
    await expect(receiving).rejects.toThrow(AbortedError);
    await expect(transport.recv(1, 2, { signal: AbortSignal.abort() })).rejects.toThrow(AbortedError);
  });

  it('makes the transport unusable when a collective misses its deadline, and aborts the job on dispose', async () => {
    // Depth 1: the barrier waits in the TypeScript queue, where a failure can still stop it.
    const { binding, transport } = world({ collectiveDepth: 1 });
    const stuck = transport.allreduce(new Float32Array(4), 'sum', { timeoutMs: 20 });
    const queued = transport.barrier();
    const error = await stuck.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toContain('allreduce(float32, sum) #1 on rank 0 did not finish within 20 ms: the collective is still inside MPI');
    await expect(queued).rejects.toThrow(/barrier #2 on rank 0 cannot finish: the MPI transport is unusable since an earlier call failed \(allreduce/);
    await expect(transport.send(1, 0, new Uint8Array(1))).rejects.toThrow(TransportError);
    // The barrier never reached MPI, even when the stuck allreduce finishes.
    binding.pending('allreduce')[0]!.resolve();
    await tick();
    expect(binding.calls.map((c) => c.method)).toEqual(['allreduce']);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(transport.dispose()).rejects.toThrow(/MPI was aborted because allreduce/);
    expect(binding.abortedWith).toBe(1);
    expect(String(stderr.mock.calls[0]![0])).toMatch(/^\[syncopate\] rank 0: cannot finalize MPI: allreduce\(float32, sum\) #1 on rank 0 did not finish/);
    expect(binding.isFinalized()).toBe(false);
  });

  it('with the default depth, hands a queued collective over at once; a deadline still fires and fails the transport', async () => {
    const { binding, transport } = world();
    const stuck = transport.allreduce(new Float32Array(4), 'sum', { timeoutMs: 20 });
    const queued = transport.barrier({ timeoutMs: 60_000 });
    await tick();
    // Both are with the addon, in call order, before the first settled.
    expect(binding.pending().map((c) => c.method)).toEqual(['allreduce', 'barrier']);
    const error = await stuck.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toContain('allreduce(float32, sum) #1 on rank 0 did not finish within 20 ms: the collective is still inside MPI');
    // The barrier was handed over and cannot be withdrawn; its promise fails with the transport.
    await expect(queued).rejects.toThrow(/barrier #2 on rank 0 cannot finish: the MPI transport is unusable since an earlier call failed \(allreduce/);
    await expect(transport.barrier()).rejects.toThrow(/unusable since an earlier call failed/);
    expect(binding.calls.map((c) => c.method)).toEqual(['allreduce', 'barrier']);
    for (const call of binding.pending()) call.resolve(undefined);
    await tick();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(transport.dispose()).rejects.toThrow(/MPI was aborted because allreduce/);
    expect(stderr).toHaveBeenCalled();
  });

  it('makes the transport unusable when a collective is aborted', async () => {
    const { transport } = world();
    const controller = new AbortController();
    const running = transport.barrier({ signal: controller.signal });
    controller.abort('user stop');
    await expect(running).rejects.toThrow('barrier #1 on rank 0 was aborted: user stop');
    await expect(transport.barrier()).rejects.toThrow(/unusable since an earlier call failed \(barrier #1 on rank 0 was aborted/);
  });

  it('fails calls waiting for a rank whose process died, naming it, before the deadline', async () => {
    let dead = false;
    const { transport } = world({ livenessIntervalMs: 5, processExists: (pid) => !(dead && pid === 1002) });
    const start = performance.now();
    const waiting = transport.allreduce(new Float32Array(4), 'sum', { timeoutMs: 10_000 });
    const receiving = transport.recv(1, 0, { timeoutMs: 10_000 });
    dead = true;
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RankLostError);
    expect((error as RankLostError).rank).toBe(2);
    expect((error as Error).message).toBe('rank 2 was lost: allreduce(float32, sum) #1 on rank 0 cannot finish: its process exited (pid 1002 on fake is gone)');
    await expect(receiving).rejects.toThrow(RankLostError);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('names the dead peer when a message call misses its deadline', async () => {
    const { transport } = world({ livenessIntervalMs: 0, processExists: (pid) => pid !== 1001 });
    await expect(transport.send(1, 0, new Uint8Array(1), { timeoutMs: 10 })).rejects.toThrow(
      /^rank 1 was lost: send\(dest 1, tag 0\) on rank 0 cannot finish \(pid 1001 on fake is gone\)$/,
    );
  });
});
