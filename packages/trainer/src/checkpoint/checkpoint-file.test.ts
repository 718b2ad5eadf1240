import { StateError } from '@syncopate/core';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { decodeState, encodeState } from './state-codec.js';

const dir = mkdtempSync(join(tmpdir(), 'syncopate-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoint files', () => {
  it('round-trip every state value byte-exactly, including NaN, ±Inf, -0 and sub-array views', () => {
    const big = Float32Array.of(1, 2, 3, 4, 5);
    const state = {
      step: 12,
      lr: 0.1 + 0.2,
      odd: [NaN, Infinity, -Infinity, -0],
      name: 'slowMo',
      flag: true,
      none: null,
      params: big.subarray(1, 4),
      nested: { u: Float64Array.of(Math.PI, 1e-300), counts: Int32Array.of(-1, 7), bits: Uint32Array.of(0xffffffff), raw: Uint8Array.of(9) },
    };
    const back = decodeState(encodeState(state));
    expect(back).toEqual({ ...state, params: Float32Array.of(2, 3, 4) });
    expect(Object.is((back.odd as number[])[3], -0)).toBe(true);
  });

  it('write atomically (no temporary left behind) and detect a flipped byte or a truncated file', () => {
    const path = join(dir, 'rank-0.ckpt');
    writeCheckpoint(path, { w: Float32Array.of(0.5, -1.25) });
    expect(readdirSync(dir)).toEqual(['rank-0.ckpt']);
    expect(readCheckpoint(path)).toEqual({ w: Float32Array.of(0.5, -1.25) });
    const bytes = readFileSync(path);
    bytes[bytes.length - 6] ^= 1;
    writeFileSync(path, bytes);
    expect(() => readCheckpoint(path)).toThrow(/is corrupt: CRC-32/);
    writeFileSync(path, bytes.subarray(0, 10));
    expect(() => readCheckpoint(path)).toThrow(StateError);
    expect(() => readCheckpoint(join(dir, 'missing.ckpt'))).toThrow(/cannot read checkpoint/);
  });

  it('refuse values a checkpoint cannot hold, naming where they are', () => {
    expect(() => encodeState({ a: { b: undefined as never } })).toThrow(/state at 'state.a.b' is undefined/);
    expect(() => encodeState({ $x: 1 })).toThrow(/reserve/);
    expect(() => encodeState({ f: (() => 1) as never })).toThrow(/a function/);
  });
});
