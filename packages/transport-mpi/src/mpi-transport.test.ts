import { LengthMismatchError, OptionError, TransportError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { MpiTransport } from './mpi-transport.js';
import { FakeMpiBinding, nativeError } from './testing/index.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function world(size = 4, rank = 1, options = {}) {
  const binding = new FakeMpiBinding({ rank, size });
  const transport = new MpiTransport(binding, options);
  return { binding, transport };
}

describe('MpiTransport over a fake binding', () => {
  it('initialises MPI with its settings and reports rank and size', () => {
    const { binding, transport } = world(4, 1, { nonblockingBytes: 0, pollMicros: 10 });
    expect(binding.initOptions).toEqual({ nonblockingBytes: 0, pollMicros: 10, laneSpinMicros: 0 });
    expect([transport.name, transport.rank, transport.size]).toEqual(['mpi', 1, 4]);
    expect(transport.worldRanks).toEqual([0, 1, 2, 3]);
    expect(transport.info.library).toBe('fake MPI');
  });

  it('hands collectives issued without awaiting to the addon at once, in call order, and settles them in order', async () => {
    const { binding, transport } = world();
    const results: string[] = [];
    const calls = [
      transport.collectives.allreduce!(new Float32Array(3), 'sum').then(() => results.push('allreduce')),
      transport.collectives.allgather!(new Uint8Array([1])).then(() => results.push('allgather')),
      transport.barrier().then(() => results.push('barrier')),
    ];
    await tick();
    // None waited for the one before it: the addon's communicator thread orders them.
    expect(binding.pending().map((c) => c.method)).toEqual(['allreduce', 'allgather', 'barrier']);
    binding.pending('allreduce')[0]!.resolve();
    binding.pending('allgather')[0]!.resolve([new Uint8Array([1])]);
    binding.pending('barrier')[0]!.resolve();
    await Promise.all(calls);
    expect(results).toEqual(['allreduce', 'allgather', 'barrier']);
    expect(binding.maxCollectivesInFlight.get(0)).toBe(3);
  });

  it('with collectiveDepth 2, hands over at most two collectives before one settles', async () => {
    const { binding, transport } = world(4, 1, { collectiveDepth: 2 });
    const calls = [transport.barrier(), transport.barrier(), transport.barrier()];
    await tick();
    expect(binding.pending('barrier')).toHaveLength(2);
    binding.pending('barrier')[0]!.resolve();
    await tick();
    expect(binding.pending('barrier')).toHaveLength(2);
    for (const call of binding.pending('barrier')) call.resolve();
    await Promise.all(calls);
    expect(binding.maxCollectivesInFlight.get(0)).toBe(2);
  });

  it('with collectiveDepth 1, keeps one collective in flight per communicator and starts them in call order', async () => {
    const { binding, transport } = world(4, 1, { collectiveDepth: 1 });
    const a = new Float32Array(3);
    const results: string[] = [];
    const calls = [
      transport.collectives.allreduce!(a, 'sum').then(() => results.push('allreduce')),
      transport.collectives.allgather!(new Uint8Array([1])).then(() => results.push('allgather')),
      transport.barrier().then(() => results.push('barrier')),
    ];
    // A message is not queued behind collectives.
    const sent = transport.send(2, 5, new Uint8Array(8));
    await tick();
    expect(binding.pending().map((c) => c.method)).toEqual(['allreduce', 'send']);
    binding.pending('send')[0]!.resolve();
    await sent;
    for (const method of ['allreduce', 'allgather', 'barrier'] as const) {
      await tick();
      const pending = binding.pending().filter((c) => c.method !== 'send');
      expect(pending.map((c) => c.method)).toEqual([method]);
      pending[0]!.resolve(method === 'allgather' ? [new Uint8Array([1])] : undefined);
    }
    await Promise.all(calls);
    expect(results).toEqual(['allreduce', 'allgather', 'barrier']);
    expect(binding.maxCollectivesInFlight.get(0)).toBe(1);
    expect(binding.calls.find((c) => c.method === 'allreduce')!.args).toEqual([a, 'sum', true]);
  });

  it('runs ringAllreduce as a queued collective with its segment size, and refuses a bad one', async () => {
    const { binding, transport } = world(4, 1, { collectiveDepth: 1 });
    const buffer = new Float64Array(5);
    const first = transport.barrier();
    const ring = transport.collectives.ringAllreduce!(buffer, 'max', 4096);
    await tick();
    // Queued behind the barrier like any collective.
    expect(binding.pending().map((c) => c.method)).toEqual(['barrier']);
    binding.pending('barrier')[0]!.resolve();
    await first;
    await tick();
    expect(binding.pending('ringAllreduce')[0]!.args).toEqual([buffer, 'max', 4096, true]);
    binding.pending('ringAllreduce')[0]!.resolve();
    await ring;
    const stats = transport.stats;
    expect(stats.bytesSent).toBe(Math.round((2 * 3 * buffer.byteLength) / 4));
    await expect(transport.collectives.ringAllreduce!(buffer, 'sum', 0)).rejects.toThrow(/ringAllreduce\(float64, sum\) #3 on rank 1: segmentBytes must be an integer in \[1, 2147483647\], got 0/);
    expect(binding.calls.filter((c) => c.method === 'ringAllreduce')).toHaveLength(1);
  });

  it('turns length mismatches into LengthMismatchErrors naming the ranks, and goes on', async () => {
    const { binding, transport } = world(3, 0);
    const failed = transport.collectives.allreduce!(new Float32Array(10), 'sum');
    await tick();
    binding.pending('allreduce')[0]!.reject(nativeError('LENGTH_MISMATCH', 'allreduce: ranks passed buffers of different lengths', { lengths: [10, 10, 11] }));
    const error = await failed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LengthMismatchError);
    expect((error as LengthMismatchError).lengths).toEqual(new Map([[0, 10], [1, 10], [2, 11]]));
    expect((error as Error).message).toBe('allreduce(float32, sum) #1 on rank 0: ranks passed buffers of different lengths (rank 0: 10, rank 1: 10, rank 2: 11)');
    const next = transport.barrier();
    await tick();
    binding.pending('barrier')[0]!.resolve();
    await expect(next).resolves.toBeUndefined();
  });

  it('names what each rank called when ranks called different collectives', async () => {
    const { binding, transport } = world(2, 0);
    const failed = transport.barrier();
    await tick();
    binding.pending('barrier')[0]!.reject(nativeError('SIGNATURE', 'x', { signatures: ['barrier', 'allreduce(float32, sum) of 4 elements'] }));
    await expect(failed).rejects.toThrow('barrier #1 on rank 0: ranks called different collectives (rank 0: barrier; rank 1: allreduce(float32, sum) of 4 elements)');
  });

  it('reports MPI errors as TransportErrors with MPI text and class', async () => {
    const { binding, transport } = world(2, 0);
    const failed = transport.send(1, 3, new Uint8Array(4));
    await tick();
    binding.pending('send')[0]!.reject(nativeError('MPI', 'send to rank 1 (tag 3): MPI_Isend failed: MPI_ERR_OTHER: known error not in list', { mpiErrorClass: 16 }));
    const error = await failed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/^send\(dest 1, tag 3\) on rank 0: .*MPI_ERR_OTHER.*\(MPI error class 16\)$/);
  });

  it('names both ranks when a message does not fit recvInto', async () => {
    const { binding, transport } = world(3, 2);
    const failed = transport.recvInto(0, 9, new Float32Array(5));
    await tick();
    binding.pending('recv')[0]!.reject(nativeError('LENGTH_MISMATCH', 'x', { ranks: [2, 0], lengths: [20, 8] }));
    const error = await failed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LengthMismatchError);
    expect((error as Error).message).toContain('rank 0 sent 8 bytes into a buffer of 20 bytes on rank 2');
  });

  it('rejects bad arguments with TransportErrors before calling MPI', async () => {
    const { binding, transport } = world(4, 0);
    await expect(transport.send(4, 0, new Uint8Array(1))).rejects.toThrow(/dest must be a rank in \[0, 3\], got 4/);
    await expect(transport.recv(0, 32768)).rejects.toThrow(/tag must be an integer in \[0, 32767\]/);
    await expect(transport.send(0, 0, [1] as unknown as Uint8Array)).rejects.toThrow(/data must be a typed array or DataView/);
    await expect(transport.allreduce(new Uint8Array(2) as unknown as Float32Array, 'sum')).rejects.toThrow(/Float32Array, Float64Array or Int32Array/);
    await expect(transport.allreduce(new Float32Array(2), 'mean' as 'sum')).rejects.toThrow(/op must be 'sum', 'max' or 'min'/);
    await expect(transport.reduceScatter(new Float32Array(4), [1, 1, 1])).rejects.toThrow(/counts must be 4 non-negative integers adding up to 4/);
    await expect(transport.split(-1, 0)).rejects.toThrow(/color must be an integer in \[0, 2147483647\]/);
    await expect(transport.recv(0, 0, { timeoutMs: -5 })).rejects.toThrow(/'timeoutMs' must be a number >= 0/);
    expect(binding.calls).toEqual([]);
  });

  it('counts messages exactly and collectives by the ring model', async () => {
    const { binding, transport } = world(4, 1);
    const sent = transport.send(2, 1, new Uint8Array(100));
    const received = transport.recv(0, 1);
    const reduced = transport.allreduce(new Float64Array(100), 'sum');
    await tick();
    binding.pending('send')[0]!.resolve();
    binding.pending('recv')[0]!.resolve(new Uint8Array(30));
    binding.pending('allreduce')[0]!.resolve();
    await Promise.all([sent, received, reduced]);
    expect(transport.stats).toEqual({ bytesSent: 100 + 1200, bytesReceived: 30 + 1200, messagesSent: 1 + 6 });
  });

  it('splits into a transport over the new communicator with its world ranks', async () => {
    const { binding, transport } = world(4, 3);
    const splitting = transport.split(1, 0);
    await tick();
    const call = binding.pending('split')[0]!;
    expect(call.args).toEqual([1, 0, true]);
    const comm = binding.addComm(1, 2);
    call.resolve(comm);
    await tick();
    const ranks = binding.pending('allgather')[0]!;
    expect(ranks.comm).toBe(comm);
    ranks.resolve([new Uint8Array(new Int32Array([1]).buffer), new Uint8Array(new Int32Array([3]).buffer)]);
    const sub = (await splitting) as MpiTransport;
    expect([sub.rank, sub.size, sub.worldRanks]).toEqual([1, 2, [1, 3]]);
    const reduced = sub.allreduce(new Int32Array(1), 'max');
    await tick();
    expect(binding.pending('allreduce')[0]!.comm).toBe(comm);
    binding.pending('allreduce')[0]!.resolve();
    await reduced;
    const disposing = sub.dispose();
    await tick();
    binding.pending('commFree')[0]!.resolve();
    await disposing;
    await expect(sub.barrier()).rejects.toThrow(/was disposed/);
  });

  it('disposes once: withdraws pending receives, then finalizes', async () => {
    const { binding, transport } = world(2, 0);
    const waiting = transport.recv(1, 4);
    await tick();
    const disposing = transport.dispose();
    expect(transport.dispose()).toBe(disposing);
    await expect(waiting).rejects.toThrow(/recv\(source 1, tag 4\) on rank 0: the transport was disposed/);
    await disposing;
    expect(binding.isFinalized()).toBe(true);
    await expect(transport.barrier()).rejects.toThrow(/barrier #1 on rank 0: the transport was disposed/);
  });

  it('checks its options at once', () => {
    const binding = new FakeMpiBinding();
    expect(() => new MpiTransport(binding, { timeoutMs: 0 })).toThrow(OptionError);
    expect(() => new MpiTransport(binding, { chekCollectives: false } as object)).toThrow(/did you mean 'checkCollectives'/);
    expect(() => new MpiTransport(binding, { pollMicros: 1.5 })).toThrow(/'pollMicros' must be an integer/);
    expect(() => new MpiTransport(binding, { collectiveDepth: 0 })).toThrow(/'collectiveDepth' must be an integer/);
    expect(binding.isInitialized()).toBe(false);
  });

  it('turns a failed initialisation into a TransportError', () => {
    const binding = new FakeMpiBinding({ initError: nativeError('MPI', 'this MPI library provides only MPI_THREAD_SERIALIZED') });
    expect(() => new MpiTransport(binding)).toThrow(/MPI initialisation: this MPI library provides only MPI_THREAD_SERIALIZED/);
  });
});
