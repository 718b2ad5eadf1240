/**
 * Atomic checkpoint files: the bytes go to a temporary file beside the target, which is fsynced
 * and then renamed over it (and the directory fsynced), so a crash leaves either the old
 * checkpoint or the new one, never half of one. Reading verifies the CRC-32 before decoding.
 *
 * A writer killed mid-write leaves its temporary (`<path>.tmp-<pid>`) behind; the next write or
 * read of the same checkpoint removes the temporaries of writers whose process is gone.
 */
import { StateError, type StateValue } from '@syncopate/core';
import { closeSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { decodeState, encodeState } from './state-codec.js';

/** Whether process `pid` exists on this host (EPERM: it exists, owned by someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temporaries `<path>.tmp-<pid>` left by writers of `path` that died mid-write (their
 * process is gone); a live writer's temporary is kept. Returns the removed files. A missing folder
 * is not an error.
 */
export function removeStaleTemporaries(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

/** Write `state` to `path` atomically (removing stale temporaries of dead writers first). */
export function writeCheckpoint(path: string, state: { readonly [key: string]: StateValue }): void {
  const bytes = encodeState(state);
  removeStaleTemporaries(path);
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = openSync(temporary, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Read and verify a checkpoint written by {@link writeCheckpoint} (removing stale temporaries of dead writers). */
export function readCheckpoint(path: string): { [key: string]: StateValue } {
  removeStaleTemporaries(path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new StateError(`cannot read checkpoint ${path}: ${(error as Error).message}`);
  }
  return decodeState(bytes, `checkpoint ${path}`);
}
