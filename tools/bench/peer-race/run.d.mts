/** Types of run.mjs, for TypeScript checks. */

/** The race's settings, parsed from the command line. */
export interface RaceOptions {
  readonly nets: readonly string[];
  readonly ranks: number;
  readonly epochs?: number;
  readonly configs: readonly string[];
  readonly variants: readonly ('allreduce' | 'fp16' | 'powersgd' | 'postlocal')[];
  readonly target: number;
  readonly json: string;
  readonly outDir: string;
  readonly timeoutS: number;
  readonly plots: boolean;
}

/** One evaluation of a contestant. */
export interface CurvePoint {
  readonly epoch: number;
  readonly step: number;
  readonly elapsedMs: number;
  readonly wallMs: number;
  readonly testAccuracy: number;
  readonly wireBytes: number;
}

/** One contestant of a race; `error` is set (and the figures absent) when it failed. */
export interface Contestant {
  readonly name: string;
  readonly label: string;
  readonly side: 'pytorch' | 'syncopate';
  readonly error?: string;
  readonly curve: readonly CurvePoint[];
  readonly reachedTarget: boolean;
  readonly toTarget: { epoch: number; elapsedMs: number; wallMs: number; wireBytes: number } | null;
  readonly finalAccuracy: number;
  readonly bestAccuracy: number;
  readonly wallMs: number;
  readonly trainMs: number;
  readonly wireBytes: number;
  readonly wireBytesPerHost: readonly number[];
  readonly examplesPerRankPerEpoch: readonly (readonly number[])[];
}

/** PyTorch / Syncopate ratios for one PyTorch variant (null where undefined). */
export interface RaceRatios {
  readonly pytorch: string;
  readonly syncopate: string;
  readonly timeToTargetRatio: number | null;
  readonly wallToTargetRatio: number | null;
  readonly bytesToTargetRatio: number | null;
  readonly totalBytesRatio: number | null;
  readonly commonAccuracy: number;
  readonly timeToCommonRatio: number | null;
  readonly bytesToCommonRatio: number | null;
}

/** One rate's race. */
export interface Race {
  readonly net: string;
  readonly ranks: number;
  readonly lab: string;
  readonly contestants: readonly Contestant[];
  readonly ratios: readonly RaceRatios[];
  readonly plots?: readonly string[];
}

/** The JSON summary. */
export interface RaceSummary {
  readonly command: string;
  readonly target: number;
  readonly shards: { trainExamples: number; testExamples: number; examplesPerRank: number; stepsPerEpoch: number };
  readonly races: readonly Race[];
  readonly [key: string]: unknown;
}

/** Parses the command line; throws naming the flag at fault. */
export declare function parseArgs(argv: readonly string[]): RaceOptions;

/** Runs the race (or `--replot SUMMARY`) and resolves with the summary it wrote. */
export declare function main(argv: readonly string[]): Promise<RaceSummary>;

/** The Markdown tables of one race. */
export declare function markdownTable(race: Race, target: number): string;
