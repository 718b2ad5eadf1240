// One rank of the checks of MpiTransport beyond the Transport contract, under mpirun. Each
// check throws on a wrong result; every rank reports `{rank, name, code}` (see report.mjs).
import { mpiTransport } from '@syncopate/transport-mpi';
import { report } from './report.mjs';

const checkCollectives = process.argv[2] !== 'unchecked';
const transport = await mpiTransport({ timeoutMs: 30_000, checkCollectives });
const { rank, size } = transport;

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const checks = {
  async gather() {
    for (let root = 0; root < size; root++) {
      const parts = await transport.gather(new Uint8Array(rank + 1).fill(rank), root);
      if (rank !== root) expect(parts === undefined, `rank ${rank} got parts of a gather to ${root}`);
      else parts.forEach((p, r) => expect(p.length === r + 1 && p.every((b) => b === r), `part ${r} at root ${root} is [${p}]`));
    }
  },
  async allgatherv() {
    const counts = Array.from({ length: size }, (_, r) => (r * 2) % 3);
    const recv = new Float64Array(counts.reduce((a, b) => a + b, 0));
    await transport.allgatherv(new Float64Array(counts[rank]).fill(rank + 0.5), recv, counts);
    let at = 0;
    counts.forEach((c, r) => {
      for (let i = 0; i < c; i++, at++) expect(recv[at] === r + 0.5, `recv[${at}] is ${recv[at]}, expected ${r + 0.5}`);
    });
  },
  async reduceScatterMax() {
    const counts = Array.from({ length: size }, (_, r) => r + 1);
    const total = counts.reduce((a, b) => a + b, 0);
    const buffer = Int32Array.from({ length: total }, (_, i) => (i * 7 + rank * 13) % 29);
    await transport.reduceScatter(buffer, counts, 'max');
    const offset = counts.slice(0, rank).reduce((a, b) => a + b, 0);
    for (let i = offset; i < offset + counts[rank]; i++) {
      let max = -Infinity;
      for (let r = 0; r < size; r++) max = Math.max(max, (i * 7 + r * 13) % 29);
      expect(buffer[i] === max, `element ${i} is ${buffer[i]}, expected ${max}`);
    }
  },
  async sendrecvLarge() {
    // 8 MB each way around the ring: both halves are posted at once, so no rank waits on another.
    const next = (rank + 1) % size;
    const prev = (rank + size - 1) % size;
    const got = await transport.sendrecv(next, 3, new Float64Array(1 << 20).fill(rank), prev, 3);
    const values = new Float64Array(got.buffer, got.byteOffset, got.byteLength / 8);
    expect(values.length === 1 << 20 && values[0] === prev && values[values.length - 1] === prev, `sendrecv gave ${values.length} values starting ${values[0]}`);
  },
  async nonBlockingHandles() {
    const next = (rank + 1) % size;
    const prev = (rank + size - 1) % size;
    const incoming = transport.irecv(prev, 4);
    expect(!incoming.test(), 'a receive nobody has sent to yet reports finished');
    const outgoing = transport.isend(next, 4, new Int32Array([rank]));
    const reduced = new Float32Array(1 << 16).fill(1);
    const pending = transport.iallreduce(reduced, 'sum');
    const [message] = await Promise.all([incoming.wait(), outgoing.wait(), pending.wait()]);
    expect(incoming.test() && outgoing.test() && pending.test(), 'finished handles must test true');
    expect(new Int32Array(message.slice().buffer)[0] === prev, 'isend/irecv delivered the wrong rank');
    expect(reduced[0] === size && reduced[reduced.length - 1] === size, `iallreduce gave ${reduced[0]}`);
  },
  async hierarchicalSplit() {
    // Two "nodes": node-local groups and a group of node leaders, as hierarchical allreduce uses them.
    const node = rank < size / 2 ? 0 : 1;
    const local = await transport.split(node, rank);
    const leaders = await transport.split(local.rank === 0 ? 0 : 1, rank);
    const x = new Float64Array([rank + 1]);
    await local.allreduce(x, 'sum');
    if (local.rank === 0) await leaders.allreduce(x, 'sum');
    await local.broadcast(x, 0);
    expect(x[0] === (size * (size + 1)) / 2, `hierarchical sum is ${x[0]}, expected ${(size * (size + 1)) / 2}`);
    expect(local.worldRanks.includes(rank), `world ranks of the local group ${local.worldRanks} miss ${rank}`);
    await Promise.all([local.dispose(), leaders.dispose()]);
  },
  async mixedSizesInFlight() {
    // Small calls take the JS-thread fast path, large ones the communicator's thread; issued
    // together, they must still reach MPI in call order on every rank. Two layers keep that
    // order: the transport's queue, and the addon, which runs a call on the fast path only when
    // its communicator's thread is idle (so this check passes even without the queue; the
    // queue's own guarantee is unit-tested with a fake binding).
    for (let i = 0; i < 50; i++) {
      const small = new Float32Array(64).fill(rank + i);
      const large = new Float32Array(100_000).fill(rank * 2 + i);
      const tiny = new Int32Array([rank]);
      await Promise.all([transport.allreduce(large, 'sum'), transport.allreduce(small, 'sum'), transport.allreduce(tiny, 'max'), transport.barrier()]);
      const sumRanks = (size * (size - 1)) / 2;
      expect(small[0] === sumRanks + size * i && small[63] === small[0], `iteration ${i}: small sum ${small[0]}`);
      expect(large[0] === 2 * sumRanks + size * i && large[99_999] === large[0], `iteration ${i}: large sum ${large[0]}`);
      expect(tiny[0] === size - 1, `iteration ${i}: max ${tiny[0]}`);
    }
  },
  async backToBack() {
    // Collectives issued without awaiting are handed to the communicator's thread at once (the
    // default collectiveDepth) and run there while the JS thread is busy; each must still pair
    // with the same call on every rank, finish with its own result, and settle in call order.
    const settled = [];
    const buffers = Array.from({ length: 8 }, (_, k) => new Float32Array(k % 2 === 0 ? 50_000 : 500).fill(rank + 10 * k));
    const calls = buffers.map((buffer, k) => transport.allreduce(buffer, k % 3 === 0 ? 'max' : 'sum').then(() => settled.push(k)));
    const until = performance.now() + 50;
    while (performance.now() < until);  // the JS thread computes; the calls travel meanwhile
    await Promise.all(calls);
    expect(settled.join() === '0,1,2,3,4,5,6,7', `settled in order ${settled.join()}`);
    buffers.forEach((buffer, k) => {
      const want = k % 3 === 0 ? size - 1 + 10 * k : (size * (size - 1)) / 2 + size * 10 * k;
      expect(buffer[0] === want && buffer[buffer.length - 1] === want, `call ${k}: ${buffer[0]}, expected ${want}`);
    });
  },
  async concurrentCommunicators() {
    // Collectives on different communicators may be in flight together.
    const half = await transport.split(rank % 2, rank);
    const a = new Float32Array(1000).fill(1);
    const b = new Float32Array(1000).fill(1);
    await Promise.all([transport.allreduce(a, 'sum'), half.allreduce(b, 'sum')]);
    expect(a[999] === size && b[999] === half.size, `world sum ${a[999]}, half sum ${b[999]}`);
    await half.dispose();
  },
  async reductionsAroundTheCarryLimit() {
    // With the check on, allreduces of at most 4000 bytes travel inside it and are reduced by the
    // addon's own MPI_Op; one element more and MPI's built-in op does it. Both must give the
    // exact result for every element type and op.
    for (const Type of [Int32Array, Float32Array, Float64Array]) {
      const limit = 4000 / Type.BYTES_PER_ELEMENT;
      for (const length of [0, 1, limit - 1, limit, limit + 1]) {
        for (const op of ['sum', 'max', 'min']) {
          const value = (r, i) => ((i * 31 + r * 17) % 23) - 11;
          const buffer = Type.from({ length }, (_, i) => value(rank, i));
          await transport.allreduce(buffer, op);
          for (let i = 0; i < length; i++) {
            const all = Array.from({ length: size }, (_, r) => value(r, i));
            const want = op === 'sum' ? all.reduce((a, b) => a + b, 0) : op === 'max' ? Math.max(...all) : Math.min(...all);
            expect(buffer[i] === want, `${Type.name}(${length}) ${op}: element ${i} is ${buffer[i]}, expected ${want}`);
          }
        }
      }
    }
  },
  async ringAllreduce() {
    // The ring on the communicator's thread: exact for every type and op, for lengths that do
    // not divide evenly (and 0, and fewer elements than ranks), in one segment or many.
    for (const Type of [Int32Array, Float32Array, Float64Array]) {
      for (const length of [0, 1, size - 1, 1000, 12_345]) {
        for (const segmentBytes of [1, 256, 1 << 20]) {
          for (const op of ['sum', 'max', 'min']) {
            if (segmentBytes === 1 && length > 1000) continue; // one element per message: slow
            const value = (r, i) => ((i * 31 + r * 17) % 23) - 11;
            const buffer = Type.from({ length }, (_, i) => value(rank, i));
            await transport.ringAllreduce(buffer, op, segmentBytes);
            for (let i = 0; i < length; i++) {
              const all = Array.from({ length: size }, (_, r) => value(r, i));
              const want = op === 'sum' ? all.reduce((a, b) => a + b, 0) : op === 'max' ? Math.max(...all) : Math.min(...all);
              expect(buffer[i] === want, `${Type.name}(${length}) ${op} in ${segmentBytes}-byte segments: element ${i} is ${buffer[i]}, expected ${want}`);
            }
          }
        }
      }
    }
    // Same bits on every rank, for sums whose rounding depends on the order of addition.
    const noisy = Float32Array.from({ length: 4099 }, (_, i) => Math.fround(Math.sin(i * 7.3 + rank) * 10 ** ((i + rank) % 7)));
    await transport.ringAllreduce(noisy, 'sum', 1000);
    const everyone = await transport.allgather(new Uint8Array(noisy.buffer));
    for (let r = 0; r < size; r++) {
      expect(everyone[r].every((byte, i) => byte === everyone[0][i]), `rank ${r}'s ring result differs from rank 0's`);
    }
    // Messages of the program on the same communicator, in flight across the ring, are untouched.
    const message = transport.send((rank + 1) % size, 0, new Int32Array([rank]));
    const other = new Int32Array(1);
    const arriving = transport.recvInto((rank + size - 1) % size, 0, other);
    await transport.ringAllreduce(new Float32Array(5000).fill(1), 'sum', 4096);
    await Promise.all([message, arriving]);
    expect(other[0] === (rank + size - 1) % size, `message from the previous rank is ${other[0]}`);
  },
  async leanPath() {
    // A small allreduce on an idle communicator finishes on the JS thread before the call
    // returns, and MpiTransport answers it with a settled Promise (its lean path), with the
    // exact result. A call that misses the poll budget goes on to the communicator's thread, so
    // not every call need finish at once, but on an idle communicator most do.
    const sumRanks = (size * (size - 1)) / 2;
    let atOnce = 0;
    for (let i = 0; i < 200; i++) {
      const buffer = new Float64Array(16).fill(rank + i);
      const done = transport.allreduce(buffer, 'sum');
      let settled = false;
      void done.then(() => (settled = true));
      // One microtask turn: only a Promise settled before it runs its callbacks in it (the
      // full path's chain of guard, queue and native call takes several).
      await null;
      if (settled) atOnce++;
      await done;
      expect(buffer[0] === sumRanks + size * i && buffer[15] === buffer[0], `call ${i}: sum ${buffer[0]}, expected ${sumRanks + size * i}`);
    }
    expect(atOnce > 0, 'no small allreduce of 200 was settled when its call returned');
    // Barrier and a small broadcast take the same path.
    let barriersAtOnce = 0;
    let broadcastsAtOnce = 0;
    for (let i = 0; i < 100; i++) {
      const barrier = transport.barrier();
      const data = new Int32Array(8).fill(rank === i % size ? i : -1);
      const broadcast = transport.broadcast(data, i % size);
      const settled = { barrier: false, broadcast: false };
      void barrier.then(() => (settled.barrier = true));
      void broadcast.then(() => (settled.broadcast = true));
      await null;
      if (settled.barrier) barriersAtOnce++;
      if (settled.broadcast) broadcastsAtOnce++;
      await Promise.all([barrier, broadcast]);
      expect(data.every((v) => v === i), `broadcast ${i} from rank ${i % size}: [${data}]`);
    }
    expect(barriersAtOnce > 0 && broadcastsAtOnce > 0, `settled when the call returned: ${barriersAtOnce} barriers, ${broadcastsAtOnce} broadcasts of 100`);
  },
  async wtime() {
    const t0 = transport.wtime();
    await transport.barrier();
    expect(transport.wtime() >= t0, 'MPI_Wtime went backwards');
  },
};

for (const [name, check] of Object.entries(checks)) {
  let result = { rank, name, code: 'OK', message: '' };
  try {
    await check();
  } catch (error) {
    result = { rank, name, code: error.code ?? 'FAILED', message: error.message };
  }
  report(rank, result);
  await transport.barrier();
}
await transport.dispose();
