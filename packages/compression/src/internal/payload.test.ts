import { PayloadError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { COMPRESSOR_IDS } from './compressor-ids.js';
import { HEADER_BYTES, PAYLOAD_VERSION, bodyOf, createPayload, openPayload, readPayloadHeader, sealPayload } from './payload.js';

function sample(): Uint8Array {
  const payload = createPayload(COMPRESSOR_IDS.topK, 1000, 12);
  bodyOf(payload).set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  return sealPayload(payload);
}

describe('payload format', () => {
  it('writes magic, version, compressor id, element count, body length and CRC-32', () => {
    const payload = sample();
    expect(payload.length).toBe(HEADER_BYTES + 12);
    expect([...payload.subarray(0, 2)]).toEqual([0x53, 0x59]);
    const header = readPayloadHeader(payload);
    expect(header).toMatchObject({ version: PAYLOAD_VERSION, compressorId: COMPRESSOR_IDS.topK, compressor: 'topK', count: 1000, bodyLength: 12 });
    expect(header.checksum).not.toBe(0);
  });

  it('returns the body of a valid payload, aligned even when the payload is not', () => {
    const payload = sample();
    const shifted = new Uint8Array(payload.length + 1).subarray(1);
    shifted.set(payload);
    const body = openPayload(shifted, COMPRESSOR_IDS.topK, 1000, 'test');
    expect(body.byteOffset % 4).toBe(0);
    expect([...body]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('names the writer when another compressor reads a payload', () => {
    expect(() => openPayload(sample(), COMPRESSOR_IDS.qsgd, 1000, 'qsgd')).toThrow(/written by topK, not by qsgd/);
  });

  it('names both counts when the output buffer has another length', () => {
    expect(() => openPayload(sample(), COMPRESSOR_IDS.topK, 999, 'topK')).toThrow(/holds 1000 elements but the output buffer has 999/);
  });

  it('refuses a future format version by number', () => {
    const payload = sample();
    payload[2] = PAYLOAD_VERSION + 1;
    sealPayload(payload);
    expect(() => openPayload(payload, COMPRESSOR_IDS.topK, 1000, 'topK')).toThrow(PayloadError);
    expect(() => openPayload(payload, COMPRESSOR_IDS.topK, 1000, 'topK')).toThrow(/version 2 is not supported/);
  });

  it('reports a corrupted body as a checksum mismatch', () => {
    const payload = sample();
    payload[HEADER_BYTES + 5] ^= 0x10;
    expect(() => openPayload(payload, COMPRESSOR_IDS.topK, 1000, 'topK')).toThrow(/corrupted: CRC-32/);
  });

  it('refuses bytes that are not a payload, and non-Uint8Array input', () => {
    expect(() => readPayloadHeader(new Uint8Array(20))).toThrow(/bad magic/);
    expect(() => readPayloadHeader(new Uint8Array(3))).toThrow(/truncated: 3 bytes/);
    expect(() => readPayloadHeader([1, 2, 3] as unknown as Uint8Array)).toThrow(PayloadError);
  });
});
