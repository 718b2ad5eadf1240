import {
  Capabilities,
  Collective,
  Transport,
  knownOptions,
  type CallOptions,
  type CollectiveOp,
  type PluginSpec,
} from '@syncopate/core';

/**
 * Message tags of this collective. `@syncopate/collectives` reserves 32000–32767 for its own
 * algorithms; a third-party collective keeps below that so the two never match each other's messages.
 */
const TAGS = { reduce: 31_000, broadcast: 31_001, gather: 31_002 } as const;

/**
 * Allreduce as a reduction to rank 0 followed by a broadcast from it, over point-to-point
 * messages — the textbook baseline that faster allreduce algorithms are measured against (see
 * Thakur, Rabenseifner & Gropp, "Optimization of collective communication operations in MPICH",
 * IJHPCA 2005). Rank 0 receives n − 1 buffers and sends n − 1: simple, exact, and latency- and
 * root-bandwidth-bound, so it suits few ranks and small buffers.
 *
 * Two rules every collective keeps:
 * - Calls run one at a time, in call order (a promise queue): a policy may start a call and await
 *   it later, and the ranks' messages still pair up.
 * - Rank 0 combines the buffers in rank order and every rank receives its result, so every rank
 *   holds the same bits.
 */
export class ReduceBroadcast implements Collective {
  readonly name = 'reduceBroadcast';
  readonly supports: ReadonlySet<CollectiveOp> = new Set<CollectiveOp>(['allreduce', 'max', 'allgather', 'broadcast']);
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly transport: Transport) {}

  allreduce(buffer: Float32Array, options?: CallOptions): Promise<void> {
    return this.queue(() => this.reduceThenBroadcast(buffer, (a, b) => a + b, options));
  }

  max(buffer: Float32Array, options?: CallOptions): Promise<void> {
    return this.queue(() => this.reduceThenBroadcast(buffer, Math.max, options));
  }

  allgather(data: Uint8Array, options?: CallOptions): Promise<Uint8Array[]> {
    return this.queue(() => this.gatherThenBroadcast(data, options));
  }

  broadcast(buffer: ArrayBufferView, root: number, options?: CallOptions): Promise<void> {
    return this.queue(() => this.fromRoot(buffer, root, options));
  }

  /** Run `call` after every earlier call has settled; a failed call does not block later ones. */
  private queue<T>(call: () => Promise<T>): Promise<T> {
    const result = this.tail.then(call);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async reduceThenBroadcast(buffer: Float32Array, combine: (a: number, b: number) => number, options?: CallOptions): Promise<void> {
    const { rank, size } = this.transport;
    if (size === 1) return;
    if (rank === 0) {
      const incoming = new Float32Array(buffer.length);
      for (let peer = 1; peer < size; peer++) {
        await this.transport.recvInto(peer, TAGS.reduce, incoming, options); // a length mismatch rejects, naming both ranks
        for (let i = 0; i < buffer.length; i++) buffer[i] = combine(buffer[i]!, incoming[i]!);
      }
    } else {
      await this.transport.send(0, TAGS.reduce, buffer, options);
    }
    await this.fromRoot(buffer, 0, options);
  }

  private async fromRoot(buffer: ArrayBufferView, root: number, options?: CallOptions): Promise<void> {
    const { rank, size } = this.transport;
    if (rank === root) {
      const peers = Array.from({ length: size }, (_, r) => r).filter((r) => r !== root);
      await Promise.all(peers.map((peer) => this.transport.send(peer, TAGS.broadcast, buffer, options)));
    } else {
      await this.transport.recvInto(root, TAGS.broadcast, buffer, options);
    }
  }

  /** Rank 0 collects every payload, then sends all of them, with their lengths, to every rank. */
  private async gatherThenBroadcast(data: Uint8Array, options?: CallOptions): Promise<Uint8Array[]> {
    const { rank, size } = this.transport;
    if (size === 1) return [data.slice()];
    if (rank !== 0) {
      await this.transport.send(0, TAGS.gather, data, options);
      return unpack(await this.transport.recv(0, TAGS.broadcast, options), size);
    }
    const parts: Uint8Array[] = [data.slice()];
    for (let peer = 1; peer < size; peer++) parts.push(await this.transport.recv(peer, TAGS.gather, options));
    const packed = pack(parts);
    await Promise.all(parts.slice(1).map((_, i) => this.transport.send(i + 1, TAGS.broadcast, packed, options)));
    return parts;
  }
}

/** [count, length₀ … lengthₙ₋₁] as uint32, then the payloads. */
function pack(parts: readonly Uint8Array[]): Uint8Array {
  const header = 4 * (1 + parts.length);
  const out = new Uint8Array(header + parts.reduce((n, p) => n + p.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, parts.length, true);
  let offset = header;
  parts.forEach((p, i) => {
    view.setUint32(4 * (1 + i), p.length, true);
    out.set(p, offset);
    offset += p.length;
  });
  return out;
}

function unpack(packed: Uint8Array, size: number): Uint8Array[] {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (view.getUint32(0, true) !== size) throw new RangeError(`reduceBroadcast: gathered ${view.getUint32(0, true)} payloads on ${size} ranks`);
  let offset = 4 * (1 + size);
  return Array.from({ length: size }, (_, i) => {
    const length = view.getUint32(4 * (1 + i), true);
    const part = packed.slice(offset, offset + length);
    offset += length;
    return part;
  });
}

/**
 * Reduce-then-broadcast collectives over the transport's point-to-point messages.
 *
 * @example
 * ```ts
 * plugins: [reduceBroadcast(), localSgd({ period: 8 })]
 * ```
 */
export function reduceBroadcast(options: Record<string, never> = {}): PluginSpec<Record<string, never>> {
  knownOptions('reduceBroadcast', options, []);
  return Object.freeze<PluginSpec<Record<string, never>>>({
    kind: 'collective',
    name: 'reduceBroadcast',
    options: Object.freeze({}),
    provides: Object.freeze([Capabilities.allreduce, Capabilities.allgather]),
    register(registrar) {
      registrar.register(Collective, { useFactory: (resolver) => new ReduceBroadcast(resolver.resolve(Transport)) });
    },
  });
}
