import 'reflect-metadata';
import {
  AbortedError,
  Capabilities,
  Clock,
  Collective,
  Compressor,
  CompositionError,
  ErrorFeedback,
  OptionError,
  Transport,
  ParamLayout,
  createRng,
  type PluginSpec,
} from '@syncopate/core';
import { DEFAULT_LINK, TransportCollective, collectiveSpec, nativeCollective } from '@syncopate/collectives';
import { errorFeedback, identity, powerSgd, signSgdMajorityVote, topK } from '@syncopate/compression';
import { runSimulated, type SimulatedTransport } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { CompositionContainer } from '../composition/container.js';
import { ExchangeMeter } from './exchange-meter.js';
import { ExchangeStage } from './exchange-stage.js';
import { Timeline } from '../timeline/timeline.js';

/** Build the stage the way createTrainer does, from real plugins, on one rank of the simulated network. */
function stage(transport: SimulatedTransport, plugins: PluginSpec[], meter?: ExchangeMeter, layout?: ParamLayout) {
  const container = new CompositionContainer();
  container.register(Transport, { useValue: transport });
  container.register(Clock, { useValue: transport.clock });
  for (const spec of [nativeCollective(), identity(), ...plugins]) spec.register(container);
  const errorFeedbackService = container.resolveOptional(ErrorFeedback);
  const exchange = new ExchangeStage({
    collective: container.resolve(Collective),
    compressor: container.resolve(Compressor),
    errorFeedback: errorFeedbackService,
    rank: transport.rank,
    size: transport.size,
    stats: () => transport.stats,
    clock: transport.clock,
    seed: 7,
    meter,
    ...(layout && { layout }),
  });
  return { exchange, errorFeedback: errorFeedbackService };
}

/** Rank r's input: seeded normals. */
const input = (rank: number, n = 40) => {
  const rng = createRng({ seed: 3, rank, step: 0, stream: 'input' });
  return Float32Array.from({ length: n }, () => rng.nextNormal());
};

/** Exactly the k entries of largest magnitude (ties by lower index), the rest zero. */
function topKReference(x: Float32Array, k: number): Float32Array {
  const order = [...x.keys()].sort((a, b) => Math.abs(x[b]!) - Math.abs(x[a]!) || a - b).slice(0, k);
  const out = new Float32Array(x.length);
  for (const i of order) out[i] = x[i]!;
  return out;
}

describe('ExchangeStage', () => {
  it('averages dense buffers over every rank (identity, the fast path) and accounts bytes and time', async () => {
    const meter = new ExchangeMeter();
    const { results } = await runSimulated({ ranks: 3, latencyMs: 0.5, bandwidthGbps: 1 }, async (t) => {
      const x = input(t.rank);
      // What the exchange's wait probe (a one-float max) sends, measured alone.
      const before = t.stats.bytesSent;
      await t.collectives.allreduce!(new Float32Array(1), 'max');
      const probeBytes = t.stats.bytesSent - before;
      const result = await stage(t, [], t.rank === 0 ? meter : undefined).exchange.run(x, { stream: 'gradient', step: 0 });
      return { x, result, probeBytes };
    });
    const mean = input(0).map((_, i) => (input(0)[i]! + input(1)[i]! + input(2)[i]!) / 3);
    for (const { x } of results) x.forEach((v, i) => expect(v).toBeCloseTo(mean[i]!, 6));
    expect(results[1]!.x).toEqual(results[0]!.x);
    // A ring allreduce sends 2(n − 1) blocks of about 40/n floats from each rank.
    const gradientBytes = results[0]!.result.bytesSent - results[0]!.probeBytes;
    expect(gradientBytes).toBeGreaterThanOrEqual(2 * 2 * 13 * 4);
    expect(gradientBytes).toBeLessThanOrEqual(2 * 40 * 4);
    expect(results[0]!.result.communicationMs).toBeGreaterThan(1); // 2(n−1) latencies of 0.5 ms
    expect(meter.take()).toMatchObject({ exchanges: 1, bytesSent: results[0]!.result.bytesSent });
  });

  it('gather: top-k with error feedback sends exactly the k largest of x + e and remembers the rest', async () => {
    const k = 4;
    const { results } = await runSimulated(2, async (t) => {
      const { exchange, errorFeedback: memory } = stage(t, [topK({ ratio: 0.1 }), errorFeedback()]);
      const first = input(t.rank);
      await exchange.run(first, { stream: 'gradient', step: 0, reduction: 'sum' });
      const residual = memory!.residual('gradient', 40);
      const second = input(t.rank + 10);
      await exchange.run(second, { stream: 'gradient', step: 1, reduction: 'sum' });
      return { first, residual, second };
    });
    const sent0 = [0, 1].map((r) => topKReference(input(r), k));
    const sum0 = sent0[0]!.map((v, i) => v + sent0[1]![i]!);
    expect(results[0]!.first).toEqual(sum0);
    expect(results[0]!.residual).toEqual(input(0).map((v, i) => v - sent0[0]![i]!));
    const sent1 = [0, 1].map((r) => topKReference(input(r + 10).map((v, i) => v + (input(r)[i]! - sent0[r]![i]!)), k));
    expect(results[1]!.second).toEqual(sent1[0]!.map((v, i) => v + sent1[1]![i]!));
  });

  it('passes the layout\'s tensors to the compressor: PowerSGD rank 1 sums rank-1 kernels and biases exactly, per layer', async () => {
    const layout = ParamLayout.of([
      { name: 'dense/kernel', shape: [8, 6] },
      { name: 'dense/bias', shape: [6] },
    ]);
    const u = input(10, 8);
    const v = input(11, 6);
    /** Rank r's gradient: (r + 1) u vᵀ and a random bias; the sum of the kernels is rank 1. */
    const gradient = (rank: number) => {
      const g = new Float32Array(54);
      for (let i = 0; i < 8; i++) for (let j = 0; j < 6; j++) g[i * 6 + j] = (rank + 1) * u[i]! * v[j]!;
      g.set(input(rank, 6), 48);
      return g;
    };
    const sum = gradient(0).map((x, i) => x + gradient(1)[i]!);
    const exchangeWith = async (withLayout: boolean) => {
      const { results } = await runSimulated(2, async (t) => {
        const g = gradient(t.rank);
        await stage(t, [powerSgd({ rank: 1, errorFeedback: false })], undefined, withLayout ? layout : undefined).exchange.run(g, { stream: 'gradient', step: 0, reduction: 'sum' });
        return g;
      });
      return results[0]!;
    };
    const perLayer = await exchangeWith(true);
    perLayer.forEach((x, i) => expect(x).toBeCloseTo(sum[i]!, 4));
    // The same compressor on the flat buffer (one 8×7 matrix mixing kernel and bias) is not exact.
    const flat = await exchangeWith(false);
    expect(flat.some((x, i) => Math.abs(x - sum[i]!) > 1e-2)).toBe(true);
  });

  it('vote: signSGD with majority vote gives every rank the majority sign (mean of size × sign)', async () => {
    const { results } = await runSimulated(3, async (t) => {
      const x = input(t.rank, 64);
      await stage(t, [signSgdMajorityVote()]).exchange.run(x, { stream: 'gradient', step: 0 });
      return x;
    });
    const majority = input(0, 64).map((_, i) => Math.sign([0, 1, 2].reduce((s, r) => s + Math.sign(input(r, 64)[i]!), 0)));
    for (const x of results) expect([...x]).toEqual([...majority]);
  });

  it('runs requests strictly in call order, so exchanges started together complete correctly on every rank', async () => {
    const { results } = await runSimulated(2, async (t) => {
      const { exchange } = stage(t, [topK({ ratio: 0.5 })]);
      const buffer = Float32Array.from({ length: 8 }, (_, i) => (t.rank + 1) * (i + 1));
      const order: string[] = [];
      const buckets = [0, 1].map((index) => ({ index, offset: index * 4, length: 4, tensors: [`t${index}`] }));
      await Promise.all(
        [buckets[1]!, buckets[0]!].map((bucket) => exchange.run(buffer, { stream: 'delta', step: 3, bucket, reduction: 'sum' }).then(() => order.push(`bucket-${bucket.index}`))),
      );
      return { buffer, order };
    });
    expect(results[0]!.order).toEqual(['bucket-1', 'bucket-0']);
    // top-k keeps the 2 largest of each 4-element bucket; both ranks' supports agree here.
    expect([...results[0]!.buffer]).toEqual([0, 0, 9, 12, 0, 0, 21, 24]);
  });

  it('refuses bad requests, gossip with a compressor, and gossip on a collective that cannot, naming what is wrong', async () => {
    await runSimulated(1, async (t) => {
      const { exchange } = stage(t, [topK()]);
      const x = new Float32Array(4);
      await expect(exchange.run(x, { stream: '', step: 0 })).rejects.toThrow(OptionError);
      await expect(exchange.run(x, { stream: 'g', step: -1 })).rejects.toThrow(/request.step' must be a non-negative integer, got -1/);
      await expect(exchange.run(x, { stream: 'g', step: 0, bucket: { index: 0, offset: 2, length: 3, tensors: [] } })).rejects.toThrow(
        /covers \[2, 5\) but the buffer has 4 elements/,
      );
      await expect(exchange.run(x, { stream: 'g', step: 0, pattern: 'push-sum' })).rejects.toThrow(/request.weight/);
      await expect(exchange.run(x, { stream: 'parameter', step: 0, pattern: 'neighbours' })).rejects.toThrow(
        /pattern 'neighbours' cannot carry compressed payloads yet; compressor 'topK'/,
      );
      const plain = stage(t, []).exchange;
      await expect(plain.run(x, { stream: 'parameter', step: 0, pattern: 'neighbours' })).rejects.toThrow(
        new CompositionError(['nativeCollective'], "exchange 'parameter' needs a collective that supports 'neighbour-average', but collective 'nativeCollective' does not"),
      );
      const controller = new AbortController();
      controller.abort('stop');
      await expect(plain.run(x, { stream: 'g', step: 0 }, { signal: controller.signal })).rejects.toThrow(AbortedError);
    });
  });

  it('leaves the sum unscaled for reduction "sum" and works through a third-party collective spec', async () => {
    const custom = collectiveSpec({
      name: 'customNative',
      options: {},
      provides: [Capabilities.allreduce, Capabilities.allgather],
      create: (resolver) => new TransportCollective(resolver.resolve(Transport), { name: 'customNative', choice: 'native', link: DEFAULT_LINK, preferNative: true }),
    });
    const { results } = await runSimulated(2, async (t) => {
      const x = Float32Array.of(t.rank + 1, 2);
      await stage(t, [custom]).exchange.run(x, { stream: 'momentum', step: 0, reduction: 'sum', compress: false });
      return x;
    });
    expect([...results[0]!]).toEqual([3, 4]);
  });

  it('reports the time spent waiting for a late rank as wait (probe span), not as communication, once per step', async () => {
    const { results } = await runSimulated({ ranks: 3, latencyMs: 0.05, bandwidthGbps: 1 }, async (t) => {
      const timeline = new Timeline(t.clock, t.rank);
      const container = new CompositionContainer();
      container.register(Transport, { useValue: t });
      for (const spec of [nativeCollective(), identity()]) spec.register(container);
      const exchange = new ExchangeStage({
        collective: container.resolve(Collective),
        compressor: container.resolve(Compressor),
        rank: t.rank,
        size: t.size,
        stats: () => t.stats,
        clock: t.clock,
        seed: 7,
        timeline,
      });
      if (t.rank === 2) await t.advance(20); // the straggler arrives 20 ms late
      const x = input(t.rank);
      const started = t.clock.now();
      const [first, second] = await Promise.all([
        exchange.run(x, { stream: 'gradient', step: 0, bucket: { index: 0, offset: 0, length: 20, tensors: [] } }),
        exchange.run(x, { stream: 'gradient', step: 0, bucket: { index: 1, offset: 20, length: 20, tensors: [] } }),
      ]);
      const elapsed = t.clock.now() - started;
      return { first, second, elapsed, probes: timeline.events().filter((e) => e.name === 'wait') };
    });
    for (const [rank, { first, second, elapsed, probes }] of results.entries()) {
      expect(probes, `rank ${rank}`).toHaveLength(1); // one probe for the step's two buckets
      const waited = 'dur' in probes[0]! ? probes[0].dur / 1000 : NaN;
      if (rank === 2) expect(waited).toBeLessThan(1);
      else expect(waited).toBeGreaterThan(19);
      // The transfer itself is the same short time on every rank; the wait is not in it.
      for (const r of [first, second]) expect(r.communicationMs + r.compressionMs).toBeLessThan(2);
      expect(elapsed - waited).toBeLessThan(3);
    }
  });
});
