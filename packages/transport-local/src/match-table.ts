/** A receive waiting for a message on one stream. */
export interface Waiter<M> {
  readonly source: number;
  /** Whether this waiter can take `message` (the simulator refuses one that arrives after the deadline). */
  accepts(message: M): boolean;
  deliver(message: M): void;
}

/** A first-in-first-out queue with O(1) shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

function drain<T>(queue: Fifo<T>): T[] {
  const items: T[] = [];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) items.push(item);
  return items;
}

/**
 * Matches arrived messages with posted receives, per stream key, in order: the first message of
 * a stream goes to the first waiter of that stream that accepts it. Used by both local modes.
 */
export class MatchTable<M> {
  private readonly queued = new Map<string, Fifo<M>>();
  private readonly waiting = new Map<string, Waiter<M>[]>();

  /** A message arrived: hand it to a waiter, or queue it. */
  offer(key: string, message: M): void {
    const waiters = this.waiting.get(key);
    if (waiters) {
      const index = waiters.findIndex((w) => w.accepts(message));
      if (index >= 0) {
        const [waiter] = waiters.splice(index, 1);
        if (waiters.length === 0) this.waiting.delete(key);
        waiter!.deliver(message);
        return;
      }
    }
    let queue = this.queued.get(key);
    if (!queue) this.queued.set(key, (queue = new Fifo()));
    queue.push(message);
  }

  /** Puts `message` back at the front of its stream (it was taken by mistake). */
  unshift(key: string, message: M): void {
    const queue = this.queued.get(key);
    const rest = queue ? drain(queue) : [];
    const fresh = new Fifo<M>();
    for (const item of [message, ...rest]) fresh.push(item);
    this.queued.set(key, fresh);
  }

  /** Takes the first queued message of the stream if `accepts` it. */
  take(key: string, accepts: (message: M) => boolean = () => true): M | undefined {
    const queue = this.queued.get(key);
    const first = queue?.peek();
    if (first === undefined || !accepts(first)) return undefined;
    queue!.shift();
    if (queue!.length === 0) this.queued.delete(key);
    return first;
  }

  /** Whether any message of the stream is queued. */
  has(key: string): boolean {
    return this.queued.has(key);
  }

  /** Parks `waiter` on the stream; returns the function that removes it. */
  wait(key: string, waiter: Waiter<M>): () => void {
    let waiters = this.waiting.get(key);
    if (!waiters) this.waiting.set(key, (waiters = []));
    waiters.push(waiter);
    return () => {
      const list = this.waiting.get(key);
      const index = list ? list.indexOf(waiter) : -1;
      if (index < 0) return;
      list!.splice(index, 1);
      if (list!.length === 0) this.waiting.delete(key);
    };
  }

  /** Every parked waiter (a copy), e.g. to fail those whose source was lost. */
  waiters(): Waiter<M>[] {
    return [...this.waiting.values()].flat();
  }
}
