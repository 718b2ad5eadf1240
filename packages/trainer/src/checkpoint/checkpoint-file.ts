/**
 * Atomic checkpoint files: the bytes go to a temporary file beside the target, which is fsynced
 * and then renamed over it (and the directory fsynced), so a crash leaves either the old
 * checkpoint or the new one, never half of one. Reading verifies the CRC-32 before decoding.
 */
import { StateError, type StateValue } from '@syncopate/core';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeState, encodeState } from './state-codec.js';

/** Write `state` to `path` atomically. */
export function writeCheckpoint(path: string, state: { readonly [key: string]: StateValue }): void {
  const bytes = encodeState(state);
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

/** Read and verify a checkpoint written by {@link writeCheckpoint}. */
export function readCheckpoint(path: string): { [key: string]: StateValue } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new StateError(`cannot read checkpoint ${path}: ${(error as Error).message}`);
  }
  return decodeState(bytes, `checkpoint ${path}`);
}
