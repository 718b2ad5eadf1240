/**
 * The contract suite must be able to fail: a small reference compressor passes it, and each
 * deliberately broken variant fails exactly the check that guards its defect.
 */
import {
  Compressor,
  Capabilities,
  ErrorFeedback,
  LayoutMismatchError,
  StateError,
  NonFiniteError,
  PayloadError,
  crc32,
  type CompressContext,
  type PluginSpec,
  type Snapshot,
} from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { compressorContract } from './compressor-contract.js';
import { errorFeedbackContract } from './compressor-contract-error-feedback.js';
import { linkedReduceRanks } from './compressor-contract-link.js';

type Defect = 'none' | 'no-checksum' | 'claims-unbiased' | 'wrong-wire-bytes' | 'accepts-nan' | 'ignores-seed' | 'not-largest';

/** Unbiased random sign flips with stochastic halving: keeps x or sends 2x / 0 with probability 1/2. */
class Reference implements Compressor {
  readonly name = 'reference';
  readonly aggregation = 'gather';
  readonly unbiased = true; // claimed by every variant; 'claims-unbiased' is the one that lies
  constructor(private readonly defect: Defect) {}
  estimateRatio(length: number): number {
    return (12 + 4 * length) / (4 * length);
  }
  wireBytes(input: Float32Array): number {
    return 12 + 4 * input.length + (this.defect === 'wrong-wire-bytes' ? 4 : 0);
  }
  compress(input: Float32Array, ctx: CompressContext): Uint8Array {
    const out = new Uint8Array(12 + 4 * input.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, input.length, true);
    const rng = ctx.rng;
    for (let i = 0; i < input.length; i++) {
      const x = input[i]!;
      if (this.defect !== 'accepts-nan' && !Number.isFinite(x)) throw new NonFiniteError('reference compress', i, x);
      const coin = this.defect === 'ignores-seed' ? i % 2 : rng.nextUint32() & 1;
      const value = this.defect === 'claims-unbiased' ? x * (coin ? 1 : 0.5) : x * 2 * coin;
      view.setFloat32(12 + 4 * i, value, true);
    }
    view.setUint32(4, 4 * input.length, true);
    view.setUint32(8, crc32(out, 12), true);
    return out;
  }
  decompress(payload: Uint8Array, out: Float32Array): void {
    if (payload.length < 12) throw new PayloadError('short');
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    if (view.getUint32(0, true) !== out.length || view.getUint32(4, true) !== payload.length - 12) throw new PayloadError('length');
    if (this.defect !== 'no-checksum' && view.getUint32(8, true) !== crc32(payload, 12)) throw new PayloadError('checksum');
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(12 + 4 * i, true);
  }
}

function spec(defect: Defect): PluginSpec {
  return Object.freeze({
    kind: 'compressor',
    name: 'reference',
    options: Object.freeze({ defect }),
    requires: Object.freeze([{ capability: Capabilities.allgather, from: 'collective', reason: 'gathered' }]),
    register(registrar) {
      registrar.register(Compressor, { useFactory: () => new Reference(defect) });
    },
  } satisfies PluginSpec);
}

async function failures(defect: Defect, options: Parameters<typeof compressorContract>[1] = {}): Promise<string[]> {
  const failed: string[] = [];
  for (const c of compressorContract(spec(defect), { stochastic: true, lengths: [1, 5, 64, 300], ...options })) {
    try {
      await c.run();
    } catch {
      failed.push(c.name);
    }
  }
  return failed;
}

describe('compressorContract', () => {
  it('passes a correct compressor', async () => {
    expect(await failures('none')).toEqual([]);
  });

  it('catches a decoder that does not check its checksum', async () => {
    expect(await failures('no-checksum')).toEqual(['detects any single flipped bit in a payload']);
  });

  it('catches a biased compressor that claims to be unbiased', async () => {
    expect((await failures('claims-unbiased')).join()).toMatch(/is unbiased/);
  });

  it('catches wireBytes that differ from the payload', async () => {
    expect(await failures('wrong-wire-bytes')).toEqual(['reports wire bytes equal to the serialised size']);
  });

  it('catches a compressor that accepts NaN', async () => {
    expect(await failures('accepts-nan')).toEqual(['refuses NaN and ±Inf with NonFiniteError naming the index']);
  });

  it('catches a "stochastic" compressor that ignores its seed', async () => {
    expect((await failures('ignores-seed')).join()).toMatch(/is deterministic for a seed/);
  });

  it('catches a compressor that does not keep the k largest magnitudes', async () => {
    expect(await failures('none', { keepsLargest: (n) => Math.ceil(n / 10) })).toEqual(['keeps exactly the k largest magnitudes, values unchanged']);
  });
});

describe('linkedReduceRanks', () => {
  it('sums in rank order on every rank, and gathers in rank order', async () => {
    const links = linkedReduceRanks(3);
    const sums = await Promise.all(
      links.map(async (link, r) => {
        const buffer = new Float32Array([r, 10 * r]);
        await link.allreduce(buffer);
        const gathered = await link.allgather(new Uint8Array([r]));
        return { buffer: [...buffer], gathered: gathered.map((g) => g[0]) };
      }),
    );
    for (const s of sums) expect(s).toEqual({ buffer: [3, 30], gathered: [0, 1, 2] });
  });

  it('rejects mismatched lengths on every rank', async () => {
    const links = linkedReduceRanks(2);
    const results = await Promise.allSettled(links.map((link, r) => link.allreduce(new Float32Array(r + 1))));
    for (const result of results) expect(result.status === 'rejected' && String(result.reason)).toMatch(/different lengths/);
  });
});

/** Plain error feedback (p = x + e; e ← p − C(p)); the defective one writes p into e already in compensate. */
class Memory implements ErrorFeedback {
  readonly name = 'memory';
  private readonly e = new Map<string, Float32Array>();
  constructor(private readonly writesOnCompensate: boolean) {}
  private get(key: string, length: number): Float32Array {
    const e = this.e.get(key) ?? new Float32Array(length);
    if (e.length !== length) throw new LayoutMismatchError(`memory: '${key}' holds ${e.length} elements, got ${length}`);
    this.e.set(key, e);
    return e;
  }
  compensate(key: string, x: Float32Array): void {
    const e = this.get(key, x.length);
    for (let i = 0; i < x.length; i++) {
      x[i] += e[i]!;
      if (this.writesOnCompensate) e[i] = x[i]!;
    }
  }
  update(key: string, compensated: Float32Array, transmitted: Float32Array): void {
    const e = this.get(key, compensated.length);
    for (let i = 0; i < e.length; i++) e[i] = compensated[i]! - transmitted[i]!;
  }
  residual(key: string, length: number): Float32Array {
    return this.e.get(key)?.slice() ?? new Float32Array(length);
  }
  reset(key?: string): void {
    if (key === undefined) this.e.clear();
    else this.e.delete(key);
  }
  snapshot(): Snapshot {
    return { format: 'memory/1', e: Object.fromEntries([...this.e].map(([k, v]) => [k, v.slice()])) };
  }
  restore(snapshot: Snapshot): void {
    if (snapshot.format !== 'memory/1') throw new StateError('memory: not my snapshot');
    this.e.clear();
    for (const [k, v] of Object.entries(snapshot.e as Record<string, Float32Array>)) this.e.set(k, v.slice());
  }
}

function memorySpec(writesOnCompensate: boolean): PluginSpec {
  return Object.freeze({
    kind: 'error-feedback',
    name: 'memory',
    options: Object.freeze({ writesOnCompensate }),
    register(registrar) {
      registrar.register(ErrorFeedback, { useFactory: () => new Memory(writesOnCompensate) });
    },
  } satisfies PluginSpec);
}

describe('errorFeedbackContract', () => {
  const failed = (writesOnCompensate: boolean) => {
    const names: string[] = [];
    for (const c of errorFeedbackContract(memorySpec(writesOnCompensate), [spec('none')])) {
      try {
        c.run();
      } catch {
        names.push(c.name);
      }
    }
    return names;
  };

  it('passes plain error feedback', () => {
    expect(failed(false)).toEqual([]);
  });

  it('catches a memory that changes already in compensate, so a refused step leaves a trace', () => {
    expect(failed(true)).toEqual(['leaves its memory as it was when a step is refused between compensate and update (reference)']);
  });
});
