import type { CompressTensor, ParamLayout } from '@syncopate/core';

/**
 * The tensors of `layout` that the range `offset .. offset + length` of the flat buffer covers,
 * relative to that range: the `tensors` of a `CompressContext`, so layer-aware compressors
 * (PowerSGD) compress each layer's matrix on its own.
 *
 * A tensor wholly inside the range keeps its shape. A tensor the range cuts (a scheduler that
 * partitions tensors) is described by its pieces: the whole rows (slices along the first
 * dimension) inside the range as a `[rows, ...rest]` tensor, and the ragged parts of a row at
 * either end as 1-D pieces, which compressors treat as vectors. Elements past the layout's end
 * are not described, nor are empty tensors.
 */
export function bucketTensors(layout: ParamLayout, offset: number, length: number): CompressTensor[] {
  const end = offset + length;
  const tensors: CompressTensor[] = [];
  for (const entry of layout.entries) {
    const from = Math.max(offset, entry.offset);
    const to = Math.min(end, entry.offset + entry.length);
    if (from >= to) continue; // outside the range, or empty
    if (from === entry.offset && to === entry.offset + entry.length) {
      tensors.push({ offset: from - offset, length: to - from, shape: entry.shape });
      continue;
    }
    const row = entry.shape.length >= 2 ? entry.length / entry.shape[0]! : 1;
    const firstRow = Math.ceil((from - entry.offset) / row);
    const lastRow = Math.floor((to - entry.offset) / row);
    if (entry.shape.length < 2 || lastRow <= firstRow) {
      tensors.push({ offset: from - offset, length: to - from, shape: [to - from] });
      continue;
    }
    const rowsFrom = entry.offset + firstRow * row;
    const rowsTo = entry.offset + lastRow * row;
    if (from < rowsFrom) tensors.push({ offset: from - offset, length: rowsFrom - from, shape: [rowsFrom - from] });
    tensors.push({ offset: rowsFrom - offset, length: rowsTo - rowsFrom, shape: [lastRow - firstRow, ...entry.shape.slice(1)] });
    if (rowsTo < to) tensors.push({ offset: rowsTo - offset, length: to - rowsTo, shape: [to - rowsTo] });
  }
  return tensors;
}
