import { OptionError, type Batch } from '@syncopate/core';

/**
 * Examples held in flat typed arrays, row-major, and the copy of a set of rows into a
 * {@link Batch}. Inputs may be stored as bytes (`Uint8Array`, e.g. image pixels) and scaled to
 * float32 while a batch is built, which keeps a 60,000-image set at 47 MB instead of 188 MB.
 */
export interface ExampleTable {
  /** Number of examples (rows). */
  readonly count: number;
  /** `count × inputSize` values. */
  readonly inputs: Float32Array | Uint8Array;
  /** Factor applied to byte inputs while building a batch (default 1; 1/255 for pixels). */
  readonly inputScale?: number;
  /** One class index per example, for classification. */
  readonly labels?: Int32Array | Uint8Array;
  /** `count × targetSize` regression targets. */
  readonly targets?: Float32Array;
}

/** Check that `table` is consistent with the example shape and class count; `owner` and `part` name it in errors. */
export function checkTable(owner: string, part: string, table: ExampleTable, inputSize: number, numClasses?: number): void {
  const { count, inputs, labels, targets } = table;
  if (!Number.isInteger(count) || count < 0) throw new OptionError(owner, `${part}.count`, `must be a non-negative integer, got ${count}`);
  if (!(inputs instanceof Float32Array || inputs instanceof Uint8Array)) {
    throw new OptionError(owner, `${part}.inputs`, 'must be a Float32Array or a Uint8Array');
  }
  if (inputs.length !== count * inputSize) {
    throw new OptionError(owner, `${part}.inputs`, `has ${inputs.length} values; ${count} examples of ${inputSize} need ${count * inputSize}`);
  }
  const scale = table.inputScale ?? 1;
  if (!Number.isFinite(scale)) throw new OptionError(owner, `${part}.inputScale`, `must be finite, got ${scale}`);
  if (labels === undefined && targets === undefined) throw new OptionError(owner, part, 'needs labels or targets');
  if (labels !== undefined) {
    if (labels.length !== count) throw new OptionError(owner, `${part}.labels`, `has ${labels.length} values for ${count} examples`);
    const limit = numClasses ?? Infinity;
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i]!;
      if (label < 0 || label >= limit) {
        throw new OptionError(owner, `${part}.labels`, `holds ${label} at index ${i}, outside [0, ${numClasses ?? 'numClasses'})`);
      }
    }
  }
  if (targets !== undefined && (count === 0 ? targets.length !== 0 : targets.length % count !== 0)) {
    throw new OptionError(owner, `${part}.targets`, `has ${targets.length} values, not a multiple of ${count} examples`);
  }
}

/**
 * Copy rows `rows` of `table` into a new batch. The batch owns its arrays: a consumer may mutate
 * them, or hand them to tfjs (whose cpu backend keeps the caller's buffer), without touching the
 * data set.
 */
export function gatherBatch(table: ExampleTable, rows: ArrayLike<number>, inputSize: number): Batch {
  const size = rows.length;
  const inputs = new Float32Array(size * inputSize);
  const source = table.inputs;
  if (source instanceof Uint8Array) {
    const scale = table.inputScale ?? 1;
    for (let r = 0; r < size; r++) {
      const from = rows[r]! * inputSize;
      const to = r * inputSize;
      for (let k = 0; k < inputSize; k++) inputs[to + k] = source[from + k]! * scale;
    }
  } else {
    for (let r = 0; r < size; r++) {
      const from = rows[r]! * inputSize;
      inputs.set(source.subarray(from, from + inputSize), r * inputSize);
    }
  }
  let labels: Int32Array | undefined;
  if (table.labels) {
    labels = new Int32Array(size);
    for (let r = 0; r < size; r++) labels[r] = table.labels[rows[r]!]!;
  }
  let targets: Float32Array | undefined;
  if (table.targets) {
    const width = table.targets.length / table.count;
    targets = new Float32Array(size * width);
    for (let r = 0; r < size; r++) targets.set(table.targets.subarray(rows[r]! * width, (rows[r]! + 1) * width), r * width);
  }
  return { size, inputs, ...(labels && { labels }), ...(targets && { targets }) };
}
