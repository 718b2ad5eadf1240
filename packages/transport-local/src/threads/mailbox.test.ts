import { createRng } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { createFabric } from './fabric.js';
import { Mailbox } from './mailbox.js';

describe('Mailbox', () => {
  it('delivers every byte in order through random partial writes and reads, across the end of the ring and the int32 counter wrap', () => {
    const fabric = createFabric(2, 4096);
    // Start both counters just below 2^31 so they wrap to negative values during the test.
    new Int32Array(fabric.indices).fill(0x7ffff000, 2, 4);
    const writer = new Mailbox(fabric, 0, 1);
    const reader = new Mailbox(fabric, 0, 1);
    const rng = createRng({ seed: 7, rank: 0, step: 0, stream: 'mailbox' });
    const input = new Uint8Array(200_000);
    for (let i = 0; i < input.length; i++) input[i] = rng.nextInt(256);
    const output = new Uint8Array(input.length);
    let written = 0;
    let read = 0;
    while (read < input.length) {
      const chunk = input.subarray(written, Math.min(input.length, written + rng.nextInt(6000)));
      const n = writer.write(chunk);
      expect(n).toBe(Math.min(chunk.length, 4096 - (written - read)));
      written += n;
      expect(reader.available()).toBe(written - read);
      read += reader.read(output.subarray(read, Math.min(output.length, read + rng.nextInt(6000))));
    }
    expect(Buffer.from(output).equals(Buffer.from(input))).toBe(true);
    expect(new Int32Array(fabric.indices)[2]).toBeLessThan(0);
  });
});
