/**
 * A plain-text table with aligned columns (numbers right, text left), for the run summary.
 *
 * @example
 * ```ts
 * textTable(['epoch', 'loss'], [['1', '0.51'], ['2', '0.43']]);
 * // epoch  loss
 * // -----  ----
 * //     1  0.51 …
 * ```
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+(%| ?[kMG]?B| s| ms)?$|^-$/.test(r[c] ?? '')));
  const cell = (text: string, c: number) => (numeric[c] ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  const line = (cells: readonly string[]) => cells.map((t, c) => cell(t, c)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
