/**
 * Exact top-k selection by magnitude, without sorting.
 *
 * The magnitude of a float32 orders exactly like its bit pattern with the sign bit cleared (for
 * finite values), so selection is a radix select on 31-bit keys:
 * 1. one pass builds a histogram of the top 11 key bits (and spots NaN/Inf, whose keys sit in
 *    the highest bins);
 * 2. the bin holding the k-th largest key is found from the top; a second pass emits every
 *    element of a higher bin and collects the elements of that bin as candidates;
 * 3. the candidates (usually a small fraction) are narrowed on the next 10 and the last 10 key
 *    bits to the exact k-th key T; elements above T are kept, and elements equal to T are kept
 *    lowest index first until there are exactly k.
 * Two passes over the data plus work on the candidates: O(n), typed arrays only, no allocation
 * per element. The result lists indices in ascending order.
 */
import { throwNonFinite } from './finite.js';

const TOP_BINS = 2048; // key bits 20..30
const NON_FINITE_BIN = 0x7f800000 >>> 20;

/**
 * Indices (ascending) of the `k` elements of `values` with the largest magnitudes; among equal
 * magnitudes the lower index wins. `k` is clamped to `values.length`. Throws `NonFiniteError`
 * (naming `where`) on NaN or ±Inf.
 */
export function selectTopK(values: Float32Array, k: number, where: string, step?: number): Uint32Array {
  const n = values.length;
  const keys = new Uint32Array(values.buffer, values.byteOffset, n);
  const hist = new Uint32Array(TOP_BINS);
  for (let i = 0; i < n; i++) hist[(keys[i]! & 0x7fffffff) >>> 20]++;
  for (let b = NON_FINITE_BIN; b < TOP_BINS; b++) if (hist[b] !== 0) throwNonFinite(values, where, step);

  if (k >= n) {
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  let above = 0;
  let bin = TOP_BINS - 1;
  while (above + hist[bin]! < k) above += hist[bin--]!;

  // Pass 2: everything in a higher bin is in; the boundary bin's elements are candidates.
  const sure = new Uint32Array(above);
  const candidateCount = hist[bin]!;
  const candidateIndex = new Uint32Array(candidateCount);
  const candidateKey = new Uint32Array(candidateCount);
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i]! & 0x7fffffff;
    const b = key >>> 20;
    if (b > bin) sure[s++] = i;
    else if (b === bin) {
      candidateIndex[c] = i;
      candidateKey[c++] = key;
    }
  }

  // Narrow the boundary to the exact k-th key on bits 10..19, then 0..9.
  let need = k - above;
  let prefix = bin;
  for (const shift of [10, 0]) {
    const sub = new Uint32Array(1024);
    for (let j = 0; j < candidateCount; j++) {
      const key = candidateKey[j]!;
      if (key >>> (shift + 10) === prefix) sub[(key >>> shift) & 0x3ff]++;
    }
    let b = 1023;
    while (sub[b]! < need) need -= sub[b--]!;
    prefix = (prefix << 10) | b;
  }
  const threshold = prefix >>> 0;

  // Keep candidates above the threshold, and `need` of those equal to it, in index order.
  const chosen = new Uint32Array(k - above);
  let t = 0;
  for (let j = 0; j < candidateCount; j++) {
    const key = candidateKey[j]!;
    if (key > threshold || (key === threshold && need-- > 0)) chosen[t++] = candidateIndex[j]!;
  }
  return mergeAscending(sure, chosen);
}

function mergeAscending(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.length && j < b.length) out[o++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[o++] = a[i++]!;
  while (j < b.length) out[o++] = b[j++]!;
  return out;
}
