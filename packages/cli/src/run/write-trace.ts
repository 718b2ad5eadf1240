/**
 * `--trace FILE`: every rank writes its own timeline beside FILE, then rank 0 merges them into
 * FILE, one Chrome-trace JSON with a process per rank (open it in https://ui.perfetto.dev).
 *
 * Order matters: rank 0 may merge only once every rank's file is complete, so the ranks meet in
 * a barrier between writing and merging. Every rank calls it at the same point of the run.
 */
import { extname } from 'node:path';
import type { Transport } from '@syncopate/core';
import { mergeTraces, writeChromeTrace, type Trainer } from '@syncopate/trainer';

/** The file of `rank`'s own timeline: `trace.json` → `trace.rank-0.json`. */
export function rankTracePath(path: string, rank: number): string {
  const extension = extname(path);
  const stem = extension ? path.slice(0, -extension.length) : path;
  return `${stem}.rank-${rank}${extension || '.json'}`;
}

/**
 * Write this rank's timeline to {@link rankTracePath}, wait for every rank to have written its
 * own, and on rank 0 write the merged trace to `path`. Returns the files written by this rank.
 *
 * @example
 * ```ts
 * await trainer.fit({ epochs: 1 });
 * await writeRunTrace(trainer, transport, 'trace.json'); // trace.rank-<r>.json on every rank, trace.json on rank 0
 * ```
 */
export async function writeRunTrace(trainer: Trainer, transport: Transport, path: string): Promise<string[]> {
  const timeline = trainer.timeline;
  if (!timeline) throw new Error('writeRunTrace: the trainer was created without trace: true');
  const own = rankTracePath(path, transport.rank);
  writeChromeTrace(own, timeline.events());
  if (transport.size > 1) await transport.barrier();
  if (transport.rank !== 0) return [own];
  const files = Array.from({ length: transport.size }, (_, r) => rankTracePath(path, r));
  writeChromeTrace(path, mergeTraces(files));
  return [own, path];
}
