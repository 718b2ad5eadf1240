import { LayoutMismatchError, OptionError } from './errors.js';
import { fnv1a64 } from './hash.js';

/** A named tensor: what a model exposes for each trainable variable. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** One tensor placed in the flat buffer. */
export interface LayoutEntry extends TensorSpec {
  /** Position in {@link ParamLayout.entries}. */
  readonly index: number;
  /** First element in the flat buffer. */
  readonly offset: number;
  /** Number of elements (product of the shape). */
  readonly length: number;
}

/**
 * A contiguous range of the flat buffer that is communicated as one unit. Buckets never split a
 * tensor unless the scheduler partitions it on purpose; `tensors` names what it covers.
 */
export interface Bucket {
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  readonly tensors: readonly string[];
}

/**
 * Named tensors mapped to offsets of one flat `Float32Array`.
 *
 * Parameters, gradients, momentum buffers and error-feedback memory all share the layout of
 * the model, so a plugin handles one `Float32Array` of `totalLength` elements and can look at a
 * tensor or a bucket as a view, without copying.
 *
 * @example
 * ```ts
 * const layout = ParamLayout.of([{ name: 'dense/kernel', shape: [784, 256] }, { name: 'dense/bias', shape: [256] }]);
 * const grads = layout.allocate();
 * layout.view(grads, 'dense/bias').fill(0);
 * ```
 */
export class ParamLayout {
  readonly entries: readonly LayoutEntry[];
  readonly totalLength: number;
  private readonly byName: ReadonlyMap<string, LayoutEntry>;
  private hashCache: string | undefined;

  private constructor(entries: LayoutEntry[]) {
    this.entries = Object.freeze(entries);
    this.totalLength = entries.reduce((n, e) => n + e.length, 0);
    this.byName = new Map(entries.map((e) => [e.name, e]));
  }

  /** Lay out tensors one after another in the given order. */
  static of(specs: readonly TensorSpec[]): ParamLayout {
    const seen = new Set<string>();
    let offset = 0;
    const entries = specs.map((spec, index) => {
      if (typeof spec.name !== 'string' || spec.name.length === 0) throw new OptionError('ParamLayout', `tensors[${index}].name`, 'must be a non-empty string');
      if (seen.has(spec.name)) throw new OptionError('ParamLayout', `tensors[${index}].name`, `repeats the name '${spec.name}'`);
      seen.add(spec.name);
      if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isInteger(d) || d < 0)) {
        throw new OptionError('ParamLayout', `${spec.name}.shape`, `must be an array of non-negative integers, got ${JSON.stringify(spec.shape)}`);
      }
      const length = spec.shape.reduce((a, b) => a * b, 1);
      const entry: LayoutEntry = Object.freeze({ name: spec.name, shape: Object.freeze([...spec.shape]), index, offset, length });
      offset += length;
      return entry;
    });
    return new ParamLayout(entries);
  }

  /** The entry for `name`; throws naming the known tensors if absent. */
  entry(name: string): LayoutEntry {
    const e = this.byName.get(name);
    if (!e) throw new OptionError('ParamLayout', 'name', `'${name}' is not a tensor of this layout (${this.entries.length} tensors)`);
    return e;
  }

  /** A zeroed flat buffer of `totalLength` elements. */
  allocate(): Float32Array {
    return new Float32Array(this.totalLength);
  }

  /** The part of `buffer` that holds tensor `name` (a view, not a copy). */
  view(buffer: Float32Array, name: string): Float32Array {
    this.check(buffer);
    const e = this.entry(name);
    return buffer.subarray(e.offset, e.offset + e.length);
  }

  /** The part of `buffer` covered by `bucket` (a view, not a copy). */
  bucketView(buffer: Float32Array, bucket: Bucket): Float32Array {
    this.check(buffer);
    return buffer.subarray(bucket.offset, bucket.offset + bucket.length);
  }

  /** One bucket covering the whole buffer. */
  wholeBucket(): Bucket {
    return Object.freeze({ index: 0, offset: 0, length: this.totalLength, tensors: Object.freeze(this.entries.map((e) => e.name)) });
  }

  /** The bucket spanning entries `first` to `last` (inclusive, by index). */
  span(index: number, first: number, last: number): Bucket {
    const a = this.entries[first];
    const b = this.entries[last];
    if (!a || !b || first > last) throw new OptionError('ParamLayout', 'span', `entries ${first}..${last} are not a range of 0..${this.entries.length - 1}`);
    return Object.freeze({
      index,
      offset: a.offset,
      length: b.offset + b.length - a.offset,
      tensors: Object.freeze(this.entries.slice(first, last + 1).map((e) => e.name)),
    });
  }

  /** Stable text form: one `name:shape` per tensor, in order. */
  describe(): string {
    return this.entries.map((e) => `${e.name}:[${e.shape.join(',')}]`).join(';');
  }

  /** Hash of {@link describe}; ranks compare it at start-up. */
  hash(): string {
    return (this.hashCache ??= fnv1a64(this.describe()));
  }

  /**
   * Throw a {@link LayoutMismatchError} describing the first difference from `other`, if any.
   * `label` says whose layout `other` is, e.g. `rank 2`.
   */
  assertSame(other: ParamLayout, label: string): void {
    if (other.hash() === this.hash()) return;
    const n = Math.max(this.entries.length, other.entries.length);
    for (let i = 0; i < n; i++) {
      const a = this.entries[i];
      const b = other.entries[i];
      if (!a || !b || a.name !== b.name || a.shape.join(',') !== b.shape.join(',')) {
        const show = (e?: LayoutEntry) => (e ? `${e.name} [${e.shape.join(', ')}]` : 'nothing');
        throw new LayoutMismatchError(`model layouts differ at tensor ${i}: here ${show(a)}, ${label} ${show(b)}`);
      }
    }
  }

  private check(buffer: Float32Array): void {
    if (buffer.length !== this.totalLength) {
      throw new LayoutMismatchError(`buffer has ${buffer.length} elements but the layout has ${this.totalLength}`);
    }
  }
}
