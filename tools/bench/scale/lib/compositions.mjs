// The compositions the scale benchmark extrapolates: the seed reproductions of issue #9, read from
// their configs in tools/bench/reproductions/configs/ (the same plugins, options, optimizer,
// learning-rate schedule, batch size and seed), so the extrapolation and the measured 4-rank runs
// describe the same training. Their collective is the default `nativeCollective`: on the simulated
// transport a ring allreduce (2(n − 1) steps of M/n bytes), under MPI Open MPI's own allreduce.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the seed reproductions keep their configs. */
export const REPRODUCTION_CONFIGS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reproductions', 'configs');

/**
 * name → { label, file, window }. `bsp` is "full SGD" (gradient allreduce every step), the
 * baseline every speedup is taken against. `window` is how many steps the schedule simulation
 * times: whole periods of the composition's steady state (its time per step repeats with the
 * averaging period), so the extrapolation costs little CPU even at 256 ranks.
 */
export const COMPOSITIONS = Object.freeze({
  bsp: { label: 'full SGD (bsp)', file: 'full-sgd.json', window: 2 },
  localSgd: { label: 'local SGD p=8', file: 'local-sgd-p8.json', window: 8 },
  // ADPSGD samples C₂ for its first K_s = 70 steps at p_init = 4; a window of 16 steps sees only
  // that phase, so its figures are those of period 4 (the adapted period needs the real model).
  adaptivePeriod: { label: 'ADPSGD (p_init=4)', file: 'adpsgd.json', window: 16 },
  slowMo: { label: 'SlowMo (local SGD p=8)', file: 'slowmo.json', window: 8 },
  hpsgd: { label: 'HPSGD', file: 'hpsgd.json', window: 8 },
  topK: { label: 'bsp + top-k 1 % + EF', file: 'compressor-top-k.json', window: 2 },
  powerSgd: { label: 'bsp + PowerSGD r=2 + EF', file: 'compressor-power-sgd.json', window: 2 },
  // fp16 payloads are gathered, not summed (their sum would overflow half precision), so each
  // rank receives every other rank's half-size gradient: bytes grow with n. Simulated up to 32.
  fp16: { label: 'bsp + fp16', file: 'compressor-fp16.json', window: 2 },
});

/** The simulated networks: nominal α (one-way latency per message) and bandwidth of every link. */
export const NETWORKS = Object.freeze({
  '1gbit': { label: '1 Gbit/s', latencyMs: 0.05, bandwidthGbps: 1 },
  '100mbit': { label: '100 Mbit/s', latencyMs: 0.05, bandwidthGbps: 0.1 },
});

/** The seed reproduction's config of composition `name`, unchanged (4 ranks, MPI, 12,000 examples). */
export function reproductionConfig(name) {
  const composition = COMPOSITIONS[name];
  if (!composition) throw new Error(`unknown composition '${name}'; known: ${Object.keys(COMPOSITIONS).join(', ')}`);
  const file = join(REPRODUCTION_CONFIGS, composition.file);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`composition '${name}': cannot read the seed reproduction's config ${file}: ${error.message}`);
  }
}

/**
 * The config of composition `name` scaled out: `ranks` ranks, the whole Fashion-MNIST training set
 * (60,000 examples), one epoch, no test set, then `overrides`.
 */
export function trainConfig(name, ranks, overrides = {}) {
  const base = reproductionConfig(name);
  const { trainExamples: _t, testExamples: _e, ...data } = base.data;
  return { ...base, ranks, data, epochs: 1, evaluate: false, transport: 'simulated', ...overrides };
}
