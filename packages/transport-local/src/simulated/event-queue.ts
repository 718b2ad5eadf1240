/** A scheduled callback; `cancel()` stops it from firing. */
export interface ScheduledEvent {
  readonly time: number;
  cancel(): void;
}

interface Entry extends ScheduledEvent {
  readonly order: number;
  readonly fire: () => void;
  cancelled: boolean;
}

/**
 * Events of the simulated network by virtual time, ties broken by scheduling order, so a run is
 * the same every time. A binary heap; cancelled events are dropped lazily when they reach the top.
 */
export class EventQueue {
  private readonly heap: Entry[] = [];
  private counter = 0;

  add(time: number, fire: () => void): ScheduledEvent {
    const entry: Entry = {
      time,
      order: this.counter++,
      fire,
      cancelled: false,
      cancel() {
        entry.cancelled = true;
      },
    };
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    return entry;
  }

  /** Time of the earliest live event, or `undefined` when none is left. */
  peekTime(): number | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0]?.time;
  }

  /** Removes and fires every live event at exactly `time`, in scheduling order. */
  fireAt(time: number): void {
    while (this.peekTime() === time) this.pop()!.fire();
  }

  private pop(): Entry | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(a: Entry, b: Entry): boolean {
    return a.time < b.time || (a.time === b.time && a.order < b.order);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < h.length && this.less(h[left]!, h[least]!)) least = left;
      if (right < h.length && this.less(h[right]!, h[least]!)) least = right;
      if (least === i) return;
      [h[i], h[least]] = [h[least]!, h[i]!];
      i = least;
    }
  }
}
