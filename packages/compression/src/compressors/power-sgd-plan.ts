/**
 * How PowerSGD cuts a buffer into the matrices it compresses and the values it sends as they are
 * (Vogels et al., 2019, §3 and Appendix: each layer's gradient is a matrix of its own, with its
 * own P, Q and warm start; vectors such as biases are aggregated uncompressed).
 */
import { LayoutMismatchError, type CompressTensor } from '@syncopate/core';
import { matrixShape } from '../internal/low-rank.js';

/** One matrix of the buffer: elements `offset .. offset + rows·cols`, row-major. */
export interface LowRankBlock {
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  readonly rank: number;
  /** Where its P starts in the packed P section, and its Q in the packed Q section (floats). */
  readonly pAt: number;
  readonly qAt: number;
}

/** A run of elements summed uncompressed; `at` is its place in the packed dense section. */
export interface DenseRange {
  readonly offset: number;
  readonly length: number;
  readonly at: number;
}

/** The matrices and dense runs of one buffer, with the sizes of the packed sections (floats). */
export interface PowerSgdPlan {
  readonly blocks: readonly LowRankBlock[];
  readonly dense: readonly DenseRange[];
  readonly pFloats: number;
  readonly qFloats: number;
  readonly denseFloats: number;
  /** False for the whole-buffer view (no tensors in the context): the `powerSgd/1` body. */
  readonly layered: boolean;
}

/**
 * The plan for a buffer of `length` elements.
 *
 * Without `tensors` (the context's), the whole buffer is one near-square zero-padded matrix (PyTorch's
 * batched PowerSGD). With them, every tensor of two or more dimensions is a `shape[0] ×
 * (product of the rest)` matrix of rank min(r, rows, cols), and 1-D tensors, empty tensors and
 * any elements no tensor covers are dense. Throws a `LayoutMismatchError` if the tensors overlap,
 * leave the buffer, or have a shape whose product is not their length.
 */
export function planPowerSgd(length: number, rank: number, tensors: readonly CompressTensor[] | undefined, where: string): PowerSgdPlan {
  if (!tensors) {
    const { rows, cols } = matrixShape(length);
    const r = Math.min(rank, rows, cols);
    return { blocks: [{ offset: 0, rows, cols, rank: r, pAt: 0, qAt: 0 }], dense: [], pFloats: rows * r, qFloats: cols * r, denseFloats: 0, layered: false };
  }
  const blocks: LowRankBlock[] = [];
  const dense: DenseRange[] = [];
  let pFloats = 0;
  let qFloats = 0;
  let denseFloats = 0;
  const addDense = (offset: number, n: number): void => {
    if (n === 0) return;
    dense.push({ offset, length: n, at: denseFloats });
    denseFloats += n;
  };
  const ordered = [...tensors].sort((a, b) => a.offset - b.offset);
  let cursor = 0;
  for (const tensor of ordered) {
    checkTensor(tensor, cursor, length, where);
    addDense(cursor, tensor.offset - cursor);
    const rows = tensor.shape[0] ?? 1;
    const cols = rows === 0 ? 0 : tensor.length / rows;
    if (tensor.shape.length >= 2 && rows > 0 && cols > 0) {
      const r = Math.min(rank, rows, cols);
      blocks.push({ offset: tensor.offset, rows, cols, rank: r, pAt: pFloats, qAt: qFloats });
      pFloats += rows * r;
      qFloats += cols * r;
    } else {
      addDense(tensor.offset, tensor.length);
    }
    cursor = tensor.offset + tensor.length;
  }
  addDense(cursor, length - cursor);
  return { blocks, dense, pFloats, qFloats, denseFloats, layered: true };
}

function checkTensor(tensor: CompressTensor, cursor: number, length: number, where: string): void {
  const { offset, length: n, shape } = tensor;
  const product = shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(offset) || !Number.isInteger(n) || offset < cursor || offset + n > length || product !== n) {
    throw new LayoutMismatchError(
      `${where}: tensor at ${offset} of ${n} elements, shape [${shape.join(', ')}], ` +
        `does not fit a ${length}-element buffer after the previous tensor's end ${cursor} (overlapping, outside, or shape product ≠ length)`,
    );
  }
}

/** The warm-start key of one block: the buffer key, and the block's place and shape in it. */
export function blockKey(key: string, block: LowRankBlock, layered: boolean): string {
  return layered ? `${key}@${block.offset}:${block.rows}x${block.cols}` : key;
}
