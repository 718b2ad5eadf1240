/**
 * Suggestions for misspelt names: the known name closest to what was typed, by edit distance
 * (Levenshtein, case-insensitive), when it is close enough to be a likely typo.
 */

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The entry of `known` closest to `typed`, or `undefined` when none is within about a third of
 * its length (at least 2 edits). A case-only difference always matches.
 *
 * @example
 * ```ts
 * closestName('topk', ['topK', 'randomK']); // 'topK'
 * closestName('xyz', ['topK']);             // undefined
 * ```
 */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(typed.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(typed.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}
