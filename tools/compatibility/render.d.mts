/** How one combination of the matrix ended. */
export type CellOutcome =
  | { kind: 'trained'; initialLoss: number; finalLoss: number }
  | { kind: 'refused'; reason: string }
  /** Accepted by createTrainer but does not work; `observed` is what happened (e.g. "run-time error"). */
  | { kind: 'gap'; reason: string; observed: string }
  | { kind: 'failed'; reason: string };

/** One combination and its outcome. */
export interface MatrixRow {
  policy: string;
  topology: string;
  compressor: string;
  momentum: string;
  outcome: CellOutcome;
}

/** Everything docs/compatibility.md is rendered from. */
export interface MatrixReport {
  /** Each policy's name, its options in the matrix, and the sync-policy capabilities it provides. */
  policies: { name: string; options: string; provides: string[] }[];
  topologies: string[];
  compressors: string[];
  momenta: string[];
  /** Lines describing the run (problem, ranks, steps, collective choice). */
  setup: string[];
  rows: MatrixRow[];
}

/** Render the composition matrix as the Markdown of docs/compatibility.md. */
export function renderCompatibility(report: MatrixReport): string;
