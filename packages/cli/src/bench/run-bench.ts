/**
 * `syncopate bench`: brings up a network lab of N namespaces shaped to the chosen rate, runs each
 * config as `syncopate train --transport mpi` with one rank per namespace, always tears the lab
 * down, and writes the JSON summary, the plots and a table.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TransportError } from '@syncopate/core';
import { loadConfig } from '../config/load-config.js';
import { readConfigFile } from '../config/read-config.js';
import { plotRuns, readMetrics } from '../commands/plot.js';
import { PROGRESS_ENV, stdoutOutput, type Output } from '../report/output.js';
import { version } from '../version.js';
import type { BenchOptions } from './bench-options.js';
import { BENCH_FORMAT, parseMetricsLines, summarizeRun, type BenchRun, type BenchSummary } from './bench-summary.js';
import { benchTable } from './bench-table.js';
import { loadNetlab, type BenchLab, type NetlabModule } from './netlab-module.js';

/** One config as the bench will run it. */
interface PlannedRun {
  readonly name: string;
  readonly file: string;
  readonly description?: string;
  readonly metrics: string;
}

/** The config's name: its file name, or its folder's for `…/config.json`; made unique with `-2`, `-3`… */
export function configNames(files: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return files.map((file) => {
    const base = basename(file, extname(file));
    const name = base === 'config' ? basename(dirname(resolve(file))) : base;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

/** The compiled `bin.js` of this package, which the ranks run (also when the bench runs from sources). */
function binPath(): string {
  const here = import.meta.url;
  return fileURLToPath(here.endsWith('.ts') ? new URL('../../dist/bin.js', here) : new URL('../bin.js', here));
}

/** The `syncopate train` argument list of one planned run. */
export function trainArgs(run: PlannedRun, options: BenchOptions): string[] {
  return [
    'train',
    '--config',
    run.file,
    '--transport',
    'mpi',
    '--ranks',
    String(options.ranks),
    '--metrics',
    run.metrics,
    ...(options.epochs === undefined ? [] : ['--epochs', String(options.epochs)]),
    ...options.set.flatMap((s) => ['--set', s]),
  ];
}

/** Bytes each host's interface has sent so far, or undefined when they cannot be read. */
async function wireBytes(lab: BenchLab): Promise<number[] | undefined> {
  try {
    const counts = await Promise.all(
      lab.hosts.map(async (h) => Number((await lab.exec(h.index, ['cat', '/sys/class/net/eth0/statistics/tx_bytes'], { timeoutS: 20 })).stdout.trim())),
    );
    return counts.every(Number.isFinite) ? counts : undefined;
  } catch {
    return undefined;
  }
}

/** Validate every config (with the bench's flags) before anything is built; returns the plan. */
function plan(options: BenchOptions): PlannedRun[] {
  const names = configNames(options.configs);
  return options.configs.map((file, i) => {
    const metrics = resolve(options.out, `${names[i]}.jsonl`);
    const config = loadConfig(readConfigFile(file), file, {
      ranks: options.ranks,
      transport: 'mpi',
      metrics,
      ...(options.epochs !== undefined && { epochs: options.epochs }),
      set: options.set,
    });
    return { name: names[i]!, file: resolve(file), ...(config.description !== undefined && { description: config.description }), metrics };
  });
}

/** Plots comparing the runs that recorded events: loss against steps, wall time and bytes; accuracy against time. */
function plot(runs: readonly BenchRun[], out: string): string[] {
  const recorded = runs.filter((r) => existsSync(r.metrics)).flatMap((r) => {
    try {
      return [{ ...readMetrics(r.metrics), label: r.name }];
    } catch {
      return [];
    }
  });
  if (recorded.length === 0) return [];
  return [...plotRuns(recorded, out, 'svg'), ...plotRuns(recorded, out, 'png')];
}

/** How {@link runBench} reports and which lab it uses (tests may pass their own netlab module). */
export interface RunBenchOptions {
  readonly output?: Output;
  readonly netlab?: NetlabModule;
}

/**
 * Run every config of `options` in one lab and write the summary. Resolves with the summary;
 * runs that failed are in it with `status: 'failed'`.
 */
export async function runBench(options: BenchOptions, { output = stdoutOutput(), netlab }: RunBenchOptions = {}): Promise<BenchSummary> {
  const planned = plan(options);
  const lab = netlab ?? (await loadNetlab());
  const unavailable = lab.netlabUnavailableReason({ mpirun: true, delay: options.delayMs > 0 });
  if (unavailable) throw new TransportError(`bench: cannot build the network lab: ${unavailable}`);
  const bin = binPath();
  if (!existsSync(bin)) throw new TransportError(`bench: the ranks run ${bin}, which is not built: npx nx run cli:build`);
  mkdirSync(options.out, { recursive: true });
  mkdirSync(dirname(resolve(options.json)), { recursive: true });
  const say = (text: string) => output.write(`${text}\n`);
  const startedAt = new Date().toISOString();
  const runs: BenchRun[] = [];
  let labName: string | null = null;
  const summary = (plots: readonly string[]): BenchSummary => ({
    format: BENCH_FORMAT,
    tool: 'syncopate bench',
    version,
    startedAt,
    finishedAt: new Date().toISOString(),
    network: { rate: options.net, delayMs: options.delayMs, shaper: 'tbf', hosts: options.ranks, lab: labName },
    ranks: options.ranks,
    targetAccuracy: options.targetAccuracy ?? null,
    runs,
    plots,
  });
  const save = (plots: readonly string[]) => writeFileSync(options.json, `${JSON.stringify(summary(plots), null, 2)}\n`);

  await lab.withNetlab({ hosts: options.ranks, rate: options.net, delayMs: options.delayMs, timeoutS: options.timeoutS * planned.length + 120 }, async (l) => {
    labName = l.name;
    say(`bench: lab ${l.name}: ${options.ranks} hosts at ${options.net}${options.delayMs ? `, ${options.delayMs} ms one-way delay` : ''}`);
    for (const [i, run] of planned.entries()) {
      say(`bench: [${i + 1}/${planned.length}] ${run.name} (${run.file})`);
      const load = loadavg();
      const wireBefore = await wireBytes(l);
      const started = performance.now();
      let error: string | undefined;
      try {
        const result = await l.mpirun([process.execPath, bin, ...trainArgs(run, options)], {
          np: options.ranks,
          timeoutS: options.timeoutS,
          check: false,
          inherit: true,
          env: { [PROGRESS_ENV]: 'plain' },
        });
        if (result.code !== 0) error = `mpirun exited with status ${result.code}${result.signal ? ` (${result.signal})` : ''}`;
      } catch (e) {
        error = (e as Error).message.split('\n')[0];
      }
      const wallMs = performance.now() - started;
      const wireAfter = await wireBytes(l);
      const records = existsSync(run.metrics) ? parseMetricsLines(readFileSync(run.metrics, 'utf8')) : [];
      runs.push(
        summarizeRun(records, {
          name: run.name,
          config: run.file,
          ...(run.description !== undefined && { description: run.description }),
          metrics: run.metrics,
          wallMs,
          loadAverage: { start: load, end: loadavg() },
          ...(options.targetAccuracy !== undefined && { targetAccuracy: options.targetAccuracy }),
          ...(wireBefore && wireAfter && { wireBytesPerRank: wireAfter.map((b, r) => b - wireBefore[r]!) }),
          ...(error !== undefined && { error }),
        }),
      );
      save([]);
    }
  });
  const plots = plot(runs, options.out);
  save(plots);
  say('');
  say(`bench: ${options.ranks} ranks at ${options.net}${options.delayMs ? ` + ${options.delayMs} ms` : ''}; load average ${runs[0]?.loadAverage.start[0]?.toFixed(2) ?? '-'} at start, ${runs.at(-1)?.loadAverage.end[0]?.toFixed(2) ?? '-'} at end`);
  say(benchTable(runs, options.targetAccuracy));
  say(`summary: ${options.json}`);
  if (plots.length) say(`plots: ${join(options.out, '{loss-vs-steps,loss-vs-time,loss-vs-bytes,accuracy-vs-time}.{svg,png}')}`);
  return summary(plots);
}
