import {
  OptionError,
  RankLostError,
  TransportError,
  knownOptions,
  numberOption,
  type CallOptions,
  type NativeCollectives,
  type NumericArray,
  type ReduceOp,
  type Transport,
} from '@syncopate/core';

/** The calls of a `Transport` a fault can target. */
export type TransportCall = 'send' | 'recv' | 'recvInto' | 'barrier' | 'split' | 'allreduce' | 'broadcast' | 'allgather' | 'reduceScatter';

const CALLS: readonly TransportCall[] = ['send', 'recv', 'recvInto', 'barrier', 'split', 'allreduce', 'broadcast', 'allgather', 'reduceScatter'];

/**
 * A fault to inject at one call of one rank's transport.
 *
 * - `drop` (sends only): the send reports success but nothing is delivered;
 * - `delay`: the call waits `delayMs` before it goes through;
 * - `fail`: this one call rejects with a `TransportError`; later calls work;
 * - `kill`: this call and every later one reject with a `RankLostError`, and the wrapped
 *   transport is disposed, so peers see the rank vanish as if its process had died.
 */
export interface Fault {
  /** Which kind of call triggers it (`any` counts every call). */
  readonly call: TransportCall | 'any';
  /** Which call of that kind, 0 for the first. */
  readonly nth: number;
  readonly action: 'drop' | 'delay' | 'fail' | 'kill';
  /** For `delay`: how long, in ms. */
  readonly delayMs?: number;
}

/** A fault that fired. */
export interface InjectedFault {
  readonly fault: Fault;
  readonly call: TransportCall;
  /** The call's position among calls of its kind. */
  readonly index: number;
}

/** Options of {@link faultyTransport}. */
export interface FaultyTransportOptions {
  /**
   * How a `delay` waits. Default: real time (`setTimeout`). With a simulated network pass
   * `(ms) => transport.advance(ms)` so delays are virtual.
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A transport with injected faults; `injected` lists those that fired. */
export interface FaultyTransport extends Transport {
  readonly injected: readonly InjectedFault[];
  readonly killed: boolean;
}

const OWNER = 'faultyTransport';

/**
 * Wraps `inner` so that the given calls drop, wait, fail, or kill the rank — for testing how
 * plugins and trainers survive unreliable ranks. Faults apply to this transport's own calls
 * (sub-transports made by `split` are not wrapped).
 *
 * @example
 * ```ts
 * // Rank 2 dies at its third allreduce; the others must fail with a RankLostError, not hang.
 * const t = rank === 2 ? faultyTransport(inner, [{ call: 'allreduce', nth: 2, action: 'kill' }]) : inner;
 * ```
 */
export function faultyTransport(inner: Transport, faults: readonly Fault[], options: FaultyTransportOptions = {}): FaultyTransport {
  knownOptions(OWNER, options, ['sleep']);
  if (!Array.isArray(faults)) throw new OptionError(OWNER, 'faults', 'must be an array of { call, nth, action, delayMs? }');
  faults.forEach((fault, i) => checkFault(fault, i));
  if (options.sleep !== undefined && typeof options.sleep !== 'function') throw new OptionError(OWNER, 'sleep', 'must be a function (ms) => Promise<void>');
  return new FaultInjector(inner, faults, options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))));
}

function checkFault(fault: Fault, i: number): void {
  knownOptions(OWNER, fault, ['call', 'nth', 'action', 'delayMs']);
  if (fault.call !== 'any' && !CALLS.includes(fault.call)) {
    throw new OptionError(OWNER, `faults[${i}].call`, `must be 'any' or one of ${CALLS.join(', ')}, got ${String(fault.call)}`);
  }
  numberOption(OWNER, `faults[${i}].nth`, fault.nth, { min: 0, integer: true });
  if (!['drop', 'delay', 'fail', 'kill'].includes(fault.action)) throw new OptionError(OWNER, `faults[${i}].action`, `must be 'drop', 'delay', 'fail' or 'kill', got ${String(fault.action)}`);
  if (fault.action === 'drop' && fault.call !== 'send') throw new OptionError(OWNER, `faults[${i}].action`, `'drop' applies to sends only (call: 'send')`);
  if (fault.action === 'delay') numberOption(OWNER, `faults[${i}].delayMs`, fault.delayMs, { min: 0 });
}

class FaultInjector implements FaultyTransport {
  readonly injected: InjectedFault[] = [];
  readonly collectives: NativeCollectives;
  private readonly counts = new Map<TransportCall | 'any', number>();
  private killedBy: string | undefined;

  constructor(
    private readonly inner: Transport,
    private readonly faults: readonly Fault[],
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    const c = inner.collectives;
    this.collectives = Object.freeze({
      ...(c.allreduce && { allreduce: (b: NumericArray, op: ReduceOp, o?: CallOptions) => this.intercept('allreduce', () => c.allreduce!(b, op, o)) }),
      ...(c.broadcast && { broadcast: (b: ArrayBufferView, root: number, o?: CallOptions) => this.intercept('broadcast', () => c.broadcast!(b, root, o)) }),
      ...(c.allgather && { allgather: (d: ArrayBufferView, o?: CallOptions) => this.intercept('allgather', () => c.allgather!(d, o)) }),
      ...(c.reduceScatter && {
        reduceScatter: (b: Float32Array, counts: readonly number[], o?: CallOptions) => this.intercept('reduceScatter', () => c.reduceScatter!(b, counts, o)),
      }),
    });
    if (inner.split) this.split = (color, key, o) => this.intercept('split', () => inner.split!(color, key, o));
  }

  readonly split?: (color: number, key: number, options?: CallOptions) => Promise<Transport>;

  get name() {
    return this.inner.name;
  }
  get rank() {
    return this.inner.rank;
  }
  get size() {
    return this.inner.size;
  }
  get clock() {
    return this.inner.clock;
  }
  get stats() {
    return this.inner.stats;
  }
  get killed(): boolean {
    return this.killedBy !== undefined;
  }

  send(dest: number, tag: number, data: ArrayBufferView, options?: CallOptions): Promise<void> {
    return this.intercept('send', () => this.inner.send(dest, tag, data, options));
  }
  recv(source: number, tag: number, options?: CallOptions): Promise<Uint8Array> {
    return this.intercept('recv', () => this.inner.recv(source, tag, options));
  }
  recvInto(source: number, tag: number, into: ArrayBufferView, options?: CallOptions): Promise<void> {
    return this.intercept('recvInto', () => this.inner.recvInto(source, tag, into, options));
  }
  barrier(options?: CallOptions): Promise<void> {
    return this.intercept('barrier', () => this.inner.barrier(options));
  }
  dispose(): Promise<void> {
    return this.inner.dispose();
  }

  private async intercept<T>(call: TransportCall, run: () => Promise<T>): Promise<T> {
    if (this.killedBy) throw new RankLostError(this.rank, this.killedBy);
    const index = this.next(call);
    const anyIndex = this.next('any');
    const fault = this.faults.find((f) => (f.call === call && f.nth === index) || (f.call === 'any' && f.nth === anyIndex));
    if (!fault) return run();
    this.injected.push({ fault, call, index });
    switch (fault.action) {
      case 'drop':
        if (call === 'send') return undefined as T;
        return run();
      case 'delay':
        await this.sleep(fault.delayMs ?? 0);
        return run();
      case 'fail':
        throw new TransportError(`fault injection: ${call} #${index} on rank ${this.rank} failed`, [this.rank]);
      case 'kill':
        this.killedBy = `killed by fault injection at ${call} #${index}`;
        await this.inner.dispose();
        throw new RankLostError(this.rank, this.killedBy);
    }
  }

  private next(call: TransportCall | 'any'): number {
    const index = this.counts.get(call) ?? 0;
    this.counts.set(call, index + 1);
    return index;
  }
}
