/**
 * The config's `checkpoint` as the trainer's coordinated checkpoints: one file per rank and step,
 * the newest `keep` steps kept, and a resume from the newest step every rank holds intact.
 */
import { CheckpointSeries } from '@syncopate/trainer';
import { basename, dirname, join } from 'node:path';
import type { CheckpointConfig } from '../config/train-config.js';

/**
 * The file name template of `checkpoint.path`: `{rank}` and `{step}` are kept where the user put
 * them; a missing one is added to the file name before its extension, `-rank-{rank}` then
 * `-step-{step}`. `out/ckpt-{rank}.bin` → `out/ckpt-{rank}-step-{step}.bin`;
 * `out/model.ckpt` → `out/model-rank-{rank}-step-{step}.ckpt`.
 */
export function checkpointTemplate(path: string): string {
  const missing = `${path.includes('{rank}') ? '' : '-rank-{rank}'}${path.includes('{step}') ? '' : '-step-{step}'}`;
  if (missing === '') return path;
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  const withMissing = dot > 0 ? `${name.slice(0, dot)}${missing}${name.slice(dot)}` : `${name}${missing}`;
  return dirname(path) === '.' && !path.startsWith('.') ? withMissing : join(dirname(path), withMissing);
}

/** The coordinated checkpoint files of `checkpoint` (throws the series' `OptionError` for a bad path or keep). */
export function checkpointSeries(checkpoint: CheckpointConfig): CheckpointSeries {
  return new CheckpointSeries({ path: checkpointTemplate(checkpoint.path), keep: checkpoint.keep });
}
