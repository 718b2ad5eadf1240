/**
 * Runs a validated config on the transport it names, with a {@link RunReporter} for rank 0:
 * worker threads (`local`), one thread on a simulated network (`simulated`), or MPI processes
 * (`mpi`: when this process was not started by `mpirun`, it starts itself again under `mpirun`
 * with the same command line, and waits for it).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TrainConfig } from '../config/train-config.js';
import { PROGRESS_ENV, stdoutOutput, type Output } from '../report/output.js';
import { RunReporter, type RunOutcome } from '../report/run-reporter.js';
import { mpirunCommandLine, runMpirun, underMpirun } from './mpirun.js';
import { runInThreads } from './run-in-threads.js';
import { runMpiRank } from './run-mpi-rank.js';
import { runSimulatedNetwork } from './run-simulated.js';

/** How {@link runTraining} reports and relaunches. */
export interface TrainingOptions {
  readonly output?: Output;
  /** The `syncopate` arguments that started this run (e.g. `['train', '--config', 'x.json']`), to relaunch under `mpirun`. */
  readonly argv: readonly string[];
  /** A first line to print (rank 0 only). */
  readonly title?: string;
}

/** What a run ended with: the exit status, and rank 0's figures when this process printed them. */
export interface TrainingResult {
  readonly exitCode: number;
  readonly outcome?: RunOutcome;
}

/** The compiled `bin.js` of this package, for relaunching (also when running from sources). */
function binPath(): string {
  const here = import.meta.url;
  const bin = fileURLToPath(here.endsWith('.ts') ? new URL('../../dist/bin.js', here) : new URL('../bin.js', here));
  return existsSync(bin) ? bin : process.argv[1]!;
}

/** Train `config` and print its progress and summary. */
export async function runTraining(config: TrainConfig, options: TrainingOptions): Promise<TrainingResult> {
  const output = options.output ?? stdoutOutput();
  const started = performance.now();
  const makeReporter = () => {
    const reporter = new RunReporter({
      output,
      ...(config.metrics !== undefined && { metrics: config.metrics }),
      appendMetrics: config.checkpoint?.resume === true,
    });
    if (options.title) reporter.note(options.title);
    return reporter;
  };
  const { transport } = config;
  if (transport.kind === 'mpi') {
    if (!underMpirun()) {
      const args = mpirunCommandLine({ np: config.ranks, env: [PROGRESS_ENV] }, [process.execPath, binPath(), ...options.argv]);
      return { exitCode: await runMpirun(args, { ...process.env, [PROGRESS_ENV]: output.isTTY ? 'tty' : 'plain' }) };
    }
    const outcome = await runMpiRank(config, makeReporter, started);
    return { exitCode: 0, ...(outcome && { outcome }) };
  }
  const reporter = makeReporter();
  try {
    if (transport.kind === 'simulated') {
      const { results, modelledMs } = await runSimulatedNetwork(config, (m) => reporter.handle(m));
      return { exitCode: 0, outcome: reporter.finish({ results, wallMs: performance.now() - started, modelledMs }) };
    }
    const results = await runInThreads(config, (m) => reporter.handle(m));
    return { exitCode: 0, outcome: reporter.finish({ results, wallMs: performance.now() - started }) };
  } catch (error) {
    reporter.abandon();
    throw error;
  }
}
