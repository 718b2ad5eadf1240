import type { Command } from '../main.js';
import { parseCommandArgs } from '../main.js';
import { BENCH_DEFAULTS, resolveBenchOptions, type BenchFlagValues } from '../bench/bench-options.js';

/** `syncopate bench`: configs trained on MPI ranks in a shaped network lab, summarised as JSON. */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'train configs on MPI ranks in a shaped network lab (root) and compare them',
  usage: [
    'usage: syncopate bench --net 100mbit|1gbit|RATE --config FILE [--config FILE2]... [--ranks N] [--delay-ms D]',
    '                       [--epochs N] [--set PATH=VALUE]... [--target-accuracy A] [--json FILE] [--out DIR] [--timeout-s S]',
    '',
    'Builds a network lab (tools/netlab: one network namespace per rank, links shaped with tc tbf;',
    'needs root), runs each config as `syncopate train --transport mpi` with one rank per namespace,',
    'tears the lab down, then writes a JSON summary per config, plots, and prints a table.',
    '',
    '  --net RATE             link rate of every host: 100mbit, 1gbit, any tc rate (2.5gbit, 500kbit) or none',
    '  -c, --config FILE      a training config (repeatable; run in the order given)',
    `  -n, --ranks N          MPI ranks, one per namespace (default ${BENCH_DEFAULTS.ranks})`,
    '      --delay-ms D       one-way delay through the userspace delay line, in ms (default 0)',
    '      --epochs N         epochs for every config (overrides the configs)',
    '      --set PATH=VALUE   override a field of every config (repeatable), e.g. --set data.trainExamples=6000',
    '      --target-accuracy A  also report the time to test accuracy A (0 < A <= 1), e.g. 0.85',
    `      --out DIR          metrics JSONL files and plots (default ${BENCH_DEFAULTS.out})`,
    '      --json FILE        the JSON summary (default DIR/summary.json)',
    `      --timeout-s S      upper bound for each config's run (default ${BENCH_DEFAULTS.timeoutS})`,
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      'bench',
      argv,
      {
        net: { type: 'string' },
        'delay-ms': { type: 'string' },
        ranks: { type: 'string', short: 'n' },
        config: { type: 'string', short: 'c', multiple: true },
        json: { type: 'string' },
        out: { type: 'string' },
        set: { type: 'string', multiple: true },
        epochs: { type: 'string' },
        'target-accuracy': { type: 'string' },
        'timeout-s': { type: 'string' },
      },
      true,
    );
    const options = resolveBenchOptions(values as BenchFlagValues, positionals);
    // Loaded on use, so `syncopate --help` stays fast.
    const { runBench } = await import('../bench/run-bench.js');
    const summary = await runBench(options);
    return summary.runs.every((r) => r.status === 'ok') ? 0 : 1;
  },
};
