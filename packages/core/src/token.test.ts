import { describe, expect, it } from 'vitest';
import { crc32, fnv1a64 } from './hash.js';
import { token } from './token.js';

describe('token', () => {
  it('keys by name so copies of core agree, and rejects empty names', () => {
    expect(token<number>('x/A').key).toBe(token<number>('x/A').key);
    expect(token<number>('x/A').key).not.toBe(token<number>('x/B').key);
    expect(() => token('')).toThrow(TypeError);
  });
});

describe('hashes', () => {
  it('match reference values', () => {
    // Standard check values: CRC-32 of "123456789" is cbf43926; FNV-1a 64 of "" is the offset basis.
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
  });
});
