/**
 * The trainer's implementation of core's `Exchange`: the one stage every tensor that crosses the
 * network goes through (docs/decisions/0100-exchange-stage.md).
 *
 * Ordering matters more than anything here. Requests run strictly one after another, in the order
 * `run` was called (a FIFO of promises), so every rank issues its collectives in the same order
 * even when a policy starts an exchange now and awaits it a step later, or when a compressor's
 * `reduce` needs several rounds. A failed exchange rejects its own promise and the next one still
 * runs; the trainer ends the step with the error.
 */
import {
  AbortedError,
  CompositionError,
  checkExchangeRequest,
  SHARED_RANK,
  createRng,
  type CallOptions,
  type Clock,
  type Collective,
  type CompressContext,
  type CompressTensor,
  type Compressor,
  type ErrorFeedback,
  type Exchange,
  type ExchangeRequest,
  type ExchangeResult,
  type ParamLayout,
  type ReduceLink,
  type TransportStats,
} from '@syncopate/core';
import { bucketTensors } from './bucket-tensors.js';
import type { ExchangeMeter } from './exchange-meter.js';
import { TRACKS, type Timeline } from '../timeline/timeline.js';

/** What the stage is built from (resolved from the trainer's composition). */
export interface ExchangeStageDependencies {
  readonly collective: Collective;
  readonly compressor: Compressor;
  readonly errorFeedback?: ErrorFeedback;
  readonly rank: number;
  readonly size: number;
  /** This rank's traffic counters (the transport's `stats`), read around each exchange. */
  readonly stats: () => TransportStats;
  readonly clock: Clock;
  /** Run seed for the compressors' random streams. */
  readonly seed: number;
  readonly meter?: ExchangeMeter;
  /**
   * Run the straggler probe before each step's first `gradient` exchange, so the wait for the
   * slowest rank is reported as wait, not communication (see `probe`). Default true; the trainer
   * turns it off for `overlap: 'next-step'`, where the probe would be the one call that travels
   * during the next compute phase and hold the gradient back until JavaScript is free.
   */
  readonly probeStragglers?: boolean;
  /**
   * Pass each bucket's offset in the layout to the collective (`elementOffset`), so ring-shaped
   * allreduces sum every element in an order independent of the bucketing (trainer option
   * `deterministicReduction`). Default false: buffers are reduced as they are, without packing.
   */
  readonly deterministicReduction?: boolean;
  /** Where `communication` and `compression` spans are recorded (trainer option `trace`). */
  readonly timeline?: Timeline;
  /**
   * The model's layout: buffers of its length get the tensors each bucket covers in their
   * `CompressContext` (`tensors`), so layer-aware compressors (PowerSGD) work per layer.
   * Without it, compressors see flat buffers.
   */
  readonly layout?: ParamLayout;
}

interface Scratch {
  out: Float32Array;
  local: Float32Array;
  decoded?: Float32Array;
  signs?: Int8Array;
}

/** Compressor-agnostic, collective-agnostic exchange (compensate → compress → collective → decompress → update memory). */
export class ExchangeStage implements Exchange {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly scratch = new Map<number, Scratch>();
  private communicationMs = 0;
  /** Communication intervals of the running exchange, for the timeline. */
  private intervals: number[] = [];
  /** The last step whose `all` exchanges were preceded by a wait probe (see {@link probe}). */
  private probedStep = -1;
  private readonly probeFlag = new Float32Array(1);
  /** The tensors of each (offset, length) range of the layout, computed once. */
  private readonly tensorsByRange = new Map<string, readonly CompressTensor[]>();

  constructor(private readonly deps: ExchangeStageDependencies) {}

  run(buffer: Float32Array, request: ExchangeRequest, options?: CallOptions): Promise<ExchangeResult> {
    let view: Float32Array;
    try {
      view = checkExchangeRequest(buffer, request);
    } catch (error) {
      return Promise.reject(error);
    }
    const tensors = this.tensorsOf(buffer.length, request);
    const result = this.tail.then(() => this.execute(view, request, options, tensors));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async execute(view: Float32Array, request: ExchangeRequest, options?: CallOptions, tensors?: readonly CompressTensor[]): Promise<ExchangeResult> {
    if (options?.signal?.aborted) throw new AbortedError(`exchange of '${request.stream}' at step ${request.step}`, options.signal.reason);
    const { clock, stats } = this.deps;
    const started = clock.now();
    const bytesBefore = stats().bytesSent;
    this.communicationMs = 0;
    this.intervals = [];
    const pattern = request.pattern ?? 'all';
    let weight: number | undefined;
    const waitMs = pattern === 'all' ? await this.probe(request, options) : 0;
    if (pattern === 'all') await this.all(view, request, options, tensors);
    else weight = await this.gossip(view, request, options);
    const communicationMs = this.communicationMs;
    const result: ExchangeResult = {
      bytesSent: stats().bytesSent - bytesBefore,
      compressionMs: Math.max(0, clock.now() - started - communicationMs - waitMs),
      communicationMs,
      ...(weight !== undefined && { weight }),
    };
    this.deps.meter?.record(result);
    if (this.deps.timeline) this.trace(request, started, clock.now());
    return result;
  }

  /**
   * Before the first `gradient` exchange of a step (BSP's), a one-float `max` over every rank:
   * it returns when the slowest rank has arrived, so its duration is the time this rank waited
   * for a straggler (plus one small-message latency), reported as `wait`, not as communication.
   * The gradients then move between ranks that are all present, so `communication` is transfer
   * time. Once per step (not per bucket), and the same requests in the same order on every rank
   * make the same probes. Only the gradient stream: the averagings of local SGD and of the
   * overlapped policies (HPSGD, Overlap-Local-SGD) run in the background or rarely, where an
   * extra collective would lengthen the exchange it is meant to explain. Returns the ms waited.
   */
  private async probe(request: ExchangeRequest, options?: CallOptions): Promise<number> {
    if (this.deps.probeStragglers === false || this.deps.size === 1 || request.stream !== PROBED_STREAM || request.step === this.probedStep) return 0;
    this.probedStep = request.step;
    const { clock, timeline } = this.deps;
    const started = clock.now();
    this.probeFlag[0] = 0;
    await this.deps.collective.max(this.probeFlag, options);
    const ended = clock.now();
    timeline?.span('wait', TRACKS.exchange, started, ended, { stream: request.stream, step: request.step, call: 'probe' });
    return ended - started;
  }

  /** Pattern `all`: an allreduce-style aggregate over every rank (mean by default). */
  private async all(view: Float32Array, request: ExchangeRequest, options?: CallOptions, tensors?: readonly CompressTensor[]): Promise<void> {
    const { compressor, errorFeedback, size } = this.deps;
    if (request.compress === false || this.lossless()) {
      // The bucket's place in the stream's vector lets the ring sum each element in the same
      // order whatever the bucketing: BSP stays bit-identical across schedulers.
      const call = this.deps.deterministicReduction ? { ...options, elementOffset: request.bucket?.offset ?? 0 } : options;
      if (size > 1) await this.timed(() => this.deps.collective.allreduce(view, call));
    } else {
      const key = keyOf(request);
      const ctx = this.context(request.step, key, tensors);
      const { out, local } = this.buffers(view.length);
      errorFeedback?.compensate(key, view);
      if (compressor.aggregation === 'sum') await this.sum(view, out, local, ctx, options);
      else await this.gatherOrVote(view, out, local, ctx, options);
      if (errorFeedback) errorFeedback.update(key, view, local);
      view.set(out);
    }
    if ((request.reduction ?? 'mean') === 'mean' && size > 1) for (let i = 0; i < view.length; i++) view[i] = view[i]! / size;
  }

  /**
   * The identity compressor with no error feedback is a plain dense allreduce: take that path
   * directly (no payload copies). On one rank a plain allreduce is the identity and is skipped.
   */
  private lossless(): boolean {
    return this.deps.compressor.name === 'identity' && this.deps.errorFeedback === undefined;
  }

  /** `sum` aggregation: the compressor's own rounds of dense sums over a link to the collective. */
  private async sum(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, options?: CallOptions): Promise<void> {
    const { compressor } = this.deps;
    const link = this.link(options);
    if (compressor.reduce) {
      await compressor.reduce(input, out, local, ctx, link);
      return;
    }
    compressor.decompress(compressor.compress(input, ctx), local, ctx);
    out.set(local);
    await link.allreduce(out);
  }

  /** `gather` (and `vote` without a voting collective): allgather the payloads, then combine them into their sum. */
  private async gatherOrVote(input: Float32Array, out: Float32Array, local: Float32Array, ctx: CompressContext, options?: CallOptions): Promise<void> {
    const { compressor, collective, size } = this.deps;
    const payload = compressor.compress(input, ctx);
    const voting = compressor.aggregation === 'vote' && collective.supports.has('vote') && collective.vote !== undefined;
    // This rank's own decoded contribution: error feedback's "transmitted", and the signs to vote.
    if (voting || this.deps.errorFeedback) compressor.decompress(payload, local, ctx);
    if (voting) {
      const signs = this.signs(input.length);
      for (let i = 0; i < local.length; i++) signs[i] = Math.sign(local[i]!);
      await this.timed(() => collective.vote!(signs, options));
      for (let i = 0; i < out.length; i++) out[i] = signs[i]! * size;
      return;
    }
    const payloads = await this.link(options).allgather(payload);
    if (compressor.combine) {
      compressor.combine(payloads, out, ctx);
      return;
    }
    out.fill(0);
    const scratch = this.buffers(out.length);
    const decoded = (scratch.decoded ??= new Float32Array(out.length));
    for (const p of payloads) {
      compressor.decompress(p, decoded, ctx);
      for (let i = 0; i < out.length; i++) out[i] = out[i]! + decoded[i]!;
    }
  }

  /** Patterns `neighbours` and `push-sum`: gossip over the topology, uncompressed. */
  private async gossip(view: Float32Array, request: ExchangeRequest, options?: CallOptions): Promise<number | undefined> {
    const { collective, compressor } = this.deps;
    const pattern = request.pattern!;
    if (request.compress !== false && this.deps.compressor.name !== 'identity') {
      throw new CompositionError(
        [compressor.name, collective.name],
        `exchange '${request.stream}': pattern '${pattern}' cannot carry compressed payloads yet; compressor '${compressor.name}' needs pattern 'all' (or send this stream with compress: false)`,
      );
    }
    if (pattern === 'neighbours') {
      if (!collective.neighbourAverage) throw missing(collective.name, 'neighbour-average', request.stream);
      await this.timed(() => collective.neighbourAverage!(view, request.step, options));
      return undefined;
    }
    if (!collective.pushSum) throw missing(collective.name, 'push-sum', request.stream);
    let weight = request.weight!;
    await this.timed(async () => {
      weight = await collective.pushSum!(view, request.weight!, request.step, options);
    });
    return weight;
  }

  private link(options?: CallOptions): ReduceLink {
    const { collective, size } = this.deps;
    return {
      size,
      allreduce: (buffer) => this.timed(() => collective.allreduce(buffer, options)),
      allgather: async (data) => {
        let gathered: Uint8Array[] = [];
        await this.timed(async () => {
          gathered = await collective.allgather(data, options);
        });
        return gathered;
      },
    };
  }

  private async timed(call: () => Promise<void>): Promise<void> {
    const started = this.deps.clock.now();
    try {
      await call();
    } finally {
      const ended = this.deps.clock.now();
      this.communicationMs += ended - started;
      if (this.deps.timeline) this.intervals.push(started, ended);
    }
  }

  /** Timeline: the collectives as `communication` spans, the time between them as `compression`. */
  private trace(request: ExchangeRequest, started: number, ended: number): void {
    const timeline = this.deps.timeline!;
    const args = { stream: request.stream, step: request.step, bucket: request.bucket?.index ?? -1 };
    const compressing = request.compress !== false && !this.lossless() && (request.pattern ?? 'all') === 'all';
    let cursor = started;
    for (let i = 0; i < this.intervals.length; i += 2) {
      const [from, to] = [this.intervals[i]!, this.intervals[i + 1]!];
      if (compressing && (i === 0 || from > cursor)) timeline.span('compression', TRACKS.exchange, cursor, from, args);
      timeline.span('communication', TRACKS.exchange, from, to, args);
      cursor = to;
    }
    if (compressing) timeline.span('compression', TRACKS.exchange, cursor, ended, args);
  }

  /**
   * The layout's tensors in this request's range (its bucket, or the whole buffer), when the
   * buffer is laid out like the model (same length); otherwise none.
   */
  private tensorsOf(bufferLength: number, request: ExchangeRequest): readonly CompressTensor[] | undefined {
    const { layout } = this.deps;
    if (!layout || bufferLength !== layout.totalLength) return undefined;
    const offset = request.bucket?.offset ?? 0;
    const length = request.bucket?.length ?? bufferLength;
    const id = `${offset}:${length}`;
    let tensors = this.tensorsByRange.get(id);
    if (!tensors) {
      tensors = Object.freeze(bucketTensors(layout, offset, length));
      this.tensorsByRange.set(id, tensors);
    }
    return tensors;
  }

  private context(step: number, key: string, tensors?: readonly CompressTensor[]): CompressContext {
    const { seed, rank, size } = this.deps;
    return {
      step,
      key,
      rank,
      size,
      rng: createRng({ seed, rank, step, stream: `compress/${key}` }),
      sharedRng: createRng({ seed, rank: SHARED_RANK, step, stream: `compress/${key}` }),
      ...(tensors && { tensors }),
    };
  }

  private buffers(length: number): Scratch {
    let scratch = this.scratch.get(length);
    if (!scratch) {
      scratch = { out: new Float32Array(length), local: new Float32Array(length) };
      this.scratch.set(length, scratch);
    }
    return scratch;
  }

  private signs(length: number): Int8Array {
    const scratch = this.buffers(length);
    return (scratch.signs ??= new Int8Array(length));
  }
}

/** The stream whose first exchange of a step is preceded by the straggler probe. */
const PROBED_STREAM = 'gradient';

/** Error-feedback memory and compressor state are kept per stream and bucket. */
function keyOf(request: ExchangeRequest): string {
  return request.bucket ? `${request.stream}/bucket-${request.bucket.index}` : request.stream;
}

function missing(collective: string, op: string, stream: string): CompositionError {
  return new CompositionError([collective], `exchange '${stream}' needs a collective that supports '${op}', but collective '${collective}' does not`);
}
