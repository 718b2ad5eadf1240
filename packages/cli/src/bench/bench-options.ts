/**
 * The options of `syncopate bench`, checked at once: every bad flag is a {@link UsageError}
 * naming the flag and what it must be, before a lab is built or a rank started.
 */
import { UsageError } from '../cli-error.js';

/** Named network presets of `--net`; any other `tc` rate (`2.5gbit`, `500kbit`) is taken as is. */
export const NET_PRESETS = ['100mbit', '1gbit'] as const;

/** A `tc` rate as netlab takes it: a number and a unit, or `none` (no shaping). */
const TC_RATE = /^(none|\d+(\.\d+)?(bit|kbit|mbit|gbit|tbit))$/;

/** What one `syncopate bench` invocation runs. */
export interface BenchOptions {
  /** Link rate of every host, in `tc` syntax (`100mbit`, `1gbit`, … or `none`). */
  readonly net: string;
  /** One-way delay added by netlab's userspace delay line, in ms (0: a plain bridge). */
  readonly delayMs: number;
  /** MPI ranks, one per network namespace. */
  readonly ranks: number;
  /** The config files, run one after the other in this order. */
  readonly configs: readonly string[];
  /** Where the JSON summary goes. */
  readonly json: string;
  /** Folder of the metrics JSONL files and the plots. */
  readonly out: string;
  /** `--set PATH=VALUE` overrides applied to every config. */
  readonly set: readonly string[];
  /** `--epochs N` for every config, when given. */
  readonly epochs?: number;
  /** Test accuracy whose first crossing is timed, in (0, 1]. */
  readonly targetAccuracy?: number;
  /** Upper bound for each config's run, in seconds. */
  readonly timeoutS: number;
}

/** Defaults of the optional flags. */
export const BENCH_DEFAULTS = { delayMs: 0, ranks: 4, out: 'bench-out', timeoutS: 1800 } as const;

/** The raw flag values as `parseArgs` returns them. */
export interface BenchFlagValues {
  readonly net?: string;
  readonly 'delay-ms'?: string;
  readonly ranks?: string;
  readonly config?: readonly string[];
  readonly json?: string;
  readonly out?: string;
  readonly set?: readonly string[];
  readonly epochs?: string;
  readonly 'target-accuracy'?: string;
  readonly 'timeout-s'?: string;
}

function number(flag: string, text: string | undefined, range: { min: number; max: number; integer?: boolean; minExclusive?: boolean }, what: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.minExclusive ? value > range.min : value >= range.min) &&
    value <= range.max;
  if (!ok) throw new UsageError(`bench: --${flag} must be ${what}, got '${text}'`);
  return value;
}

/** Check the flags of `syncopate bench` and fill in the defaults. */
export function resolveBenchOptions(values: BenchFlagValues, positionals: readonly string[] = []): BenchOptions {
  const net = values.net;
  if (net === undefined) throw new UsageError(`bench: give the network: --net ${NET_PRESETS.join('|')}|<tc rate> (e.g. --net 100mbit)`);
  if (!TC_RATE.test(net)) throw new UsageError(`bench: --net must be ${NET_PRESETS.join(', ')}, another tc rate such as 2.5gbit or 500kbit, or none; got '${net}'`);
  const configs = [...(values.config ?? []), ...positionals];
  if (configs.length === 0) throw new UsageError('bench: give at least one config: --config FILE [--config FILE2 ...]');
  const out = values.out ?? BENCH_DEFAULTS.out;
  const epochs = number('epochs', values.epochs, { min: 1, max: 1e6, integer: true }, 'a positive integer');
  const targetAccuracy = number('target-accuracy', values['target-accuracy'], { min: 0, max: 1, minExclusive: true }, 'a fraction in (0, 1], e.g. 0.85');
  return {
    net,
    delayMs: number('delay-ms', values['delay-ms'], { min: 0, max: 10_000 }, 'a delay in ms from 0 to 10000') ?? BENCH_DEFAULTS.delayMs,
    // netlab hosts at most 250 namespaces, one rank each.
    ranks: number('ranks', values.ranks, { min: 1, max: 250, integer: true }, 'an integer from 1 to 250 (one rank per network namespace)') ?? BENCH_DEFAULTS.ranks,
    configs,
    json: values.json ?? `${out}/summary.json`,
    out,
    set: [...(values.set ?? [])],
    ...(epochs !== undefined && { epochs }),
    ...(targetAccuracy !== undefined && { targetAccuracy }),
    timeoutS: number('timeout-s', values['timeout-s'], { min: 1, max: 86_400, integer: true }, 'an integer number of seconds from 1 to 86400') ?? BENCH_DEFAULTS.timeoutS,
  };
}
