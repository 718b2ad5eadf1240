/**
 * Coordinated checkpoints on disk: one file per rank and step, named from a template such as
 * `out/rank-{rank}-step-{step}.ckpt`, the newest `keep` steps kept. One file per step is what
 * makes a crash recoverable: between synchronisations a rank can run ahead of a dead peer and
 * checkpoint a later step, so a resume must find the newest step that *every* rank holds intact
 * (the trainer agrees on it, {@link Trainer.resumeFrom}); overwriting one file per rank would
 * leave files of different steps.
 *
 * This class only names, lists and removes files; writing, reading and the agreement between
 * ranks are the trainer's ({@link Trainer.saveCheckpoint}, {@link Trainer.resumeFrom}).
 */
import { OptionError, formatValue, knownOptions, numberOption } from '@syncopate/core';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Options of {@link CheckpointSeries}. */
export interface CheckpointSeriesOptions {
  /**
   * File name template: `{step}` (required, in the file name) becomes the step, `{rank}` the
   * rank (required when several ranks share a folder).
   */
  readonly path: string;
  /** How many of the newest checkpointed steps each rank keeps on disk (≥ 1). Default 2. */
  readonly keep?: number;
}

const OWNER = 'CheckpointSeries';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The files of a run's coordinated checkpoints. */
export class CheckpointSeries {
  /** The validated file name template. */
  readonly template: string;
  /** Checkpointed steps kept per rank. */
  readonly keep: number;

  constructor(options: CheckpointSeriesOptions) {
    knownOptions(OWNER, options, ['path', 'keep']);
    const template = options?.path as unknown;
    if (typeof template !== 'string' || template.length === 0) throw new OptionError(OWNER, 'path', `must be a non-empty string, got ${formatValue(template)}`);
    if (!basename(template).includes('{step}') || dirname(template).includes('{step}')) {
      throw new OptionError(OWNER, 'path', `must hold '{step}' in the file name (one file per step), got ${formatValue(template)}`);
    }
    this.template = template;
    this.keep = numberOption(OWNER, 'keep', options.keep, { min: 1, integer: true }, 2);
  }

  /** Whether the template names the rank (needed when several ranks write to one folder). */
  get namesRank(): boolean {
    return this.template.includes('{rank}');
  }

  /** The file of `rank`'s checkpoint of `step`. */
  path(rank: number, step: number): string {
    return this.template.replaceAll('{rank}', String(rank)).replaceAll('{step}', String(step));
  }

  /** Create the folder of `rank`'s files. */
  prepare(rank: number): void {
    mkdirSync(this.folder(rank), { recursive: true });
  }

  /** The steps `rank` has a checkpoint file of, ascending (temporaries excluded; nothing read). */
  steps(rank: number): number[] {
    const pattern = new RegExp(`^${escape(basename(this.template).replaceAll('{rank}', String(rank))).replaceAll('\\{step\\}', '(\\d+)')}$`);
    let names: string[];
    try {
      names = readdirSync(this.folder(rank));
    } catch {
      return [];
    }
    const steps = new Set<number>();
    for (const name of names) {
      const match = pattern.exec(name);
      if (match) steps.add(Number(match[1]));
    }
    return [...steps].sort((a, b) => a - b);
  }

  /** Remove `rank`'s files of steps before the `keep` newest of those ≤ `step`; returns the removed files. */
  prune(rank: number, step: number): string[] {
    const older = this.steps(rank).filter((s) => s <= step);
    return this.remove(rank, older.slice(0, Math.max(0, older.length - this.keep)));
  }

  /** Remove `rank`'s files of steps after `step` (left by a run that went past a resume point). */
  removeAfter(rank: number, step: number): string[] {
    return this.remove(rank, this.steps(rank).filter((s) => s > step));
  }

  private remove(rank: number, steps: readonly number[]): string[] {
    return steps.map((s) => {
      const path = this.path(rank, s);
      rmSync(path, { force: true });
      return path;
    });
  }

  private folder(rank: number): string {
    return dirname(this.template.replaceAll('{rank}', String(rank)));
  }
}
