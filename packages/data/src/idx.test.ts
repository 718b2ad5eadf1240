import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PayloadError } from '@syncopate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { IdxFormatError, encodeIdx, isGzip, parseIdx, readIdxFile } from './idx.js';

const dir = mkdtempSync(join(tmpdir(), 'syncopate-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const values = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);

describe('IDX reader', () => {
  it('reads the header written by hand: magic 0x00000803, big-endian dims, then row-major bytes', () => {
    const header = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4];
    const file = Uint8Array.from([...header, ...values]);
    const tensor = parseIdx(file, 'hand-made');
    expect(tensor.dims).toEqual([2, 3, 4]);
    expect([...tensor.data]).toEqual([...values]);
    expect(encodeIdx([2, 3, 4], values)).toEqual(file);
  });

  it('reads gzip\'d and plain files from disk alike', () => {
    const plain = encodeIdx([2, 3, 4], values);
    writeFileSync(join(dir, 'plain'), plain);
    writeFileSync(join(dir, 'zipped.gz'), gzipSync(plain));
    expect(isGzip(plain)).toBe(false);
    expect(isGzip(gzipSync(plain))).toBe(true);
    for (const name of ['plain', 'zipped.gz']) {
      const tensor = readIdxFile(join(dir, name), 3);
      expect(tensor.dims).toEqual([2, 3, 4]);
      expect([...tensor.data]).toEqual([...values]);
    }
  });

  it('rejects a wrong magic number, element type or rank with a typed error naming the file', () => {
    const good = encodeIdx([2, 3, 4], values);
    const badMagic = good.slice();
    badMagic[0] = 0x1a;
    expect(() => parseIdx(badMagic, 'f1')).toThrow(/f1: not a valid IDX file: magic number starts with 0x1a00/);
    const badType = good.slice();
    badType[2] = 0x0d; // float
    expect(() => parseIdx(badType, 'f2')).toThrow(/element type 0x0d is not unsigned byte/);
    expect(() => parseIdx(good, 'labels.idx', 1)).toThrow(/rank 3 where 1 was expected/);
    try {
      parseIdx(badMagic, 'f1');
    } catch (error) {
      expect(error).toBeInstanceOf(IdxFormatError);
      expect(error).toBeInstanceOf(PayloadError);
      expect((error as IdxFormatError).source).toBe('f1');
    }
  });

  it('rejects truncated files, trailing bytes and corrupted gzip', () => {
    const good = encodeIdx([2, 3, 4], values);
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'short')).toThrow(/truncated: dims \[2, 3, 4\] need 24 bytes of data, file has 23/);
    expect(() => parseIdx(Uint8Array.from([...good, 0]), 'long')).toThrow(/has trailing bytes/);
    expect(() => parseIdx(good.subarray(0, 10), 'header')).toThrow(/header of rank 3 needs 16 bytes/);
    expect(() => parseIdx(new Uint8Array(2), 'tiny')).toThrow(/shorter than the 4-byte magic/);
    const zipped = gzipSync(good);
    expect(() => parseIdx(zipped.subarray(0, zipped.length - 6), 'cut.gz')).toThrow(/cut.gz: not a valid IDX file: gzip data is corrupted/);
  });

  it('refuses to encode values that do not fill the dims', () => {
    expect(() => encodeIdx([2, 2], new Uint8Array(3))).toThrow(RangeError);
  });
});
