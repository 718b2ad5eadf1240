import { crc32 } from '@syncopate/core';
import { seededNormals } from '@syncopate/testing';
import { describe, expect, it } from 'vitest';
import { CRC32_START, crc32Finish, crc32Update } from './checksum.js';

describe('crc32Update (slicing-by-8)', () => {
  const bytes = new Uint8Array(seededNormals(1000, 4).buffer);

  it('matches the known answer for "123456789" (0xCBF43926)', () => {
    expect(crc32Finish(crc32Update(CRC32_START, new TextEncoder().encode('123456789')))).toBe(0xcbf43926);
  });

  it("equals core's crc32 at every length and alignment", () => {
    for (const start of [0, 1, 2, 3, 5]) {
      for (const end of [start, start + 1, start + 7, start + 8, start + 9, 63, 1000, bytes.length]) {
        expect(crc32Finish(crc32Update(CRC32_START, bytes, start, end))).toBe(crc32(bytes, start, end));
      }
    }
  });

  it('resumes across split points', () => {
    const whole = crc32(bytes);
    for (const split of [1, 12, 13, 16, 2001]) {
      expect(crc32Finish(crc32Update(crc32Update(CRC32_START, bytes, 0, split), bytes, split))).toBe(whole);
    }
  });

  it('reads a subarray at an odd offset correctly', () => {
    const view = bytes.subarray(3, 803);
    expect(crc32Finish(crc32Update(CRC32_START, view))).toBe(crc32(bytes, 3, 803));
  });
});
