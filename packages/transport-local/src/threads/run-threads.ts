/**
 * Worker-thread mode, main-thread side: spawns one worker per rank over a shared-memory fabric
 * and collects the results. How messages move between the threads, and why nothing ever blocks
 * an event loop, is explained at the top of `thread-endpoint.ts`.
 */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DeadlineError, OptionError, TransportError, knownOptions, numberOption, type Transport } from '@syncopate/core';
import { rankFailure } from '../rank-failure.js';
import { RankStatus, createFabric, defaultMailboxBytes, setStatus } from './fabric.js';
import { reviveError, type WorkerData, type WorkerReport } from './worker-protocol.js';

/** The function a rank runs in its worker thread, exported from the module given to {@link runThreads}. */
export type ThreadMain<A = unknown, T = unknown> = (transport: Transport, args: A) => Promise<T> | T;

/** Options of {@link runThreads}. */
export interface RunThreadsOptions<A = unknown> {
  /** Number of ranks (worker threads), ≥ 1. */
  readonly ranks: number;
  /** The JavaScript module (a `file:` URL or a path) that exports each rank's {@link ThreadMain}. */
  readonly module: URL | string;
  /** Name of the exported function. Default `default`. */
  readonly exportName?: string;
  /** Passed to every rank; must survive structured cloning. */
  readonly args?: A;
  /** Deadline of the whole run in ms; when it passes every worker is stopped. Default 60 000. */
  readonly timeoutMs?: number;
  /** Default deadline of each transport call inside the ranks, in ms. Default: `timeoutMs`. */
  readonly callTimeoutMs?: number;
  /** Bytes of each of the ranks² shared-memory mailboxes: a power of two in [4096, 2^26]. Default: about 16 MiB in all. */
  readonly mailboxBytes?: number;
}

const OWNER = 'runThreads';

/**
 * Runs `ranks` ranks in worker threads of this process, each calling `module[exportName](transport,
 * args)` with its own transport, and resolves with every rank's result, by rank.
 *
 * The transports exchange messages through shared memory (see `ThreadEndpoint`), so ranks run
 * truly in parallel. Worker code is plain JavaScript at run time: `module` must be a `.js`/`.mjs`
 * file (compiled output), and this package's own worker entry comes from its `dist/`.
 *
 * A rank that throws, or whose thread exits without a result, makes the run reject with a
 * `TransportError` naming that rank; ranks waiting on it fail with a `RankLostError` rather than
 * hang. Past `timeoutMs` the run rejects with a `DeadlineError` naming the ranks still running.
 *
 * @example
 * ```ts
 * // rank.mjs: export async function main(transport, { length }) { … return value; }
 * const results = await runThreads({ ranks: 4, module: new URL('./rank.mjs', import.meta.url), exportName: 'main', args: { length: 1024 } });
 * ```
 */
export async function runThreads<T = unknown, A = unknown>(options: RunThreadsOptions<A>): Promise<T[]> {
  knownOptions(OWNER, options, ['ranks', 'module', 'exportName', 'args', 'timeoutMs', 'callTimeoutMs', 'mailboxBytes']);
  const size = numberOption(OWNER, 'ranks', options.ranks, { min: 1, max: 256, integer: true });
  const timeoutMs = numberOption(OWNER, 'timeoutMs', options.timeoutMs, { above: 0 }, 60_000);
  const callTimeoutMs = numberOption(OWNER, 'callTimeoutMs', options.callTimeoutMs, { above: 0 }, timeoutMs);
  const mailboxBytes = numberOption(OWNER, 'mailboxBytes', options.mailboxBytes, { min: 4096, max: 1 << 26, integer: true }, defaultMailboxBytes(size));
  if ((mailboxBytes & (mailboxBytes - 1)) !== 0) throw new OptionError(OWNER, 'mailboxBytes', `must be a power of two, got ${mailboxBytes}`);
  const exportName = options.exportName ?? 'default';
  if (typeof exportName !== 'string' || exportName.length === 0) throw new OptionError(OWNER, 'exportName', 'must be a non-empty string');
  const module = moduleUrl(options.module);
  const entry = workerEntry();

  const fabric = createFabric(size, mailboxBytes);
  const outcomes: Array<{ ok: true; value: T } | { ok: false; error: unknown } | undefined> = new Array(size).fill(undefined);
  const failedAt = new Array<number>(size).fill(Infinity);
  const workers: Worker[] = [];
  return new Promise<T[]>((resolve, reject) => {
    let settled = 0;
    const finish = () => {
      clearTimeout(timer);
      for (const worker of workers) void worker.terminate();
      const failed = outcomes.flatMap((o, rank) => (o && !o.ok ? [{ rank, error: o.error }] : []));
      if (failed.length > 0) reject(rankFailure(failed, failedAt));
      else resolve(outcomes.map((o) => (o as { value: T }).value));
    };
    const record = (rank: number, outcome: NonNullable<(typeof outcomes)[number]>) => {
      if (outcomes[rank]) return;
      outcomes[rank] = outcome;
      if (!outcome.ok) {
        failedAt[rank] = performance.now();
        setStatus(fabric, rank, RankStatus.failed);
      }
      void workers[rank]?.terminate();
      if (++settled === size) finish();
    };
    const timer = setTimeout(() => {
      const running = outcomes.flatMap((o, rank) => (o ? [] : [rank]));
      for (const worker of workers) void worker.terminate();
      reject(new DeadlineError(OWNER, timeoutMs, `rank${running.length > 1 ? 's' : ''} ${running.join(', ')} still running`));
    }, Math.min(timeoutMs, 0x7fffffff));
    for (let rank = 0; rank < size; rank++) {
      const workerData: WorkerData = { fabric, rank, module, exportName, args: options.args, callTimeoutMs };
      const worker = new Worker(entry, { workerData, execArgv: [] });
      workers.push(worker);
      worker.on('message', (report: WorkerReport) => {
        if (report.kind === 'result') record(rank, { ok: true, value: report.value as T });
        else record(rank, { ok: false, error: reviveError(report.error) });
      });
      worker.on('error', (error) => record(rank, { ok: false, error }));
      // A report posted just before the thread ended is delivered first; look one turn later.
      worker.on('exit', (code) =>
        setImmediate(() => record(rank, { ok: false, error: new TransportError(`its thread exited (code ${code}) without a result`, [rank]) })),
      );
    }
  });
}

function moduleUrl(module: URL | string): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module.length === 0) throw new OptionError(OWNER, 'module', 'must be a file: URL or a path to a JavaScript module');
  return module.startsWith('file:') ? module : pathToFileURL(resolvePath(module)).href;
}

/**
 * The compiled worker entry. Workers run plain JavaScript, so when this module itself runs from
 * its TypeScript source (under vitest) the entry is taken from the package's `dist/`.
 */
function workerEntry(): URL {
  const here = import.meta.url;
  const entry = here.endsWith('.ts') ? new URL('../../dist/threads/worker-main.js', here) : new URL('./worker-main.js', here);
  if (!existsSync(fileURLToPath(entry))) {
    throw new TransportError(`runThreads: the worker entry ${fileURLToPath(entry)} is missing; build @syncopate/transport-local first (npx nx run @syncopate/transport-local:build)`);
  }
  return entry;
}
