/**
 * The exchange a sync-policy contract run uses: `size` in-process `Exchange`s that meet each
 * other, record every request, and notice when ranks stop meeting.
 *
 * Why rounds: a real exchange issues one collective per request, and collectives match by call
 * order. So the n-th request of every rank forms the n-th round; a round completes when every rank
 * has joined it and rejects on every rank when their requests disagree (stream, step, bucket,
 * pattern, reduction, compression), which on a real network would corrupt sums or deadlock.
 */
import {
  LengthMismatchError,
  checkExchangeRequest,
  type CallOptions,
  type Exchange,
  type ExchangeRequest,
  type ExchangeResult,
  type Neighbourhood,
} from '@syncopate/core';
import { ContractViolation } from './compressor-contract-assert.js';

/** One request as a rank made it, with what the rank was doing at the time. */
export interface RecordedRequest {
  readonly request: ExchangeRequest;
  /** `stream@step [offset+length] pattern/reduction`, the part every rank must agree on. */
  readonly signature: string;
  /** The hook that issued it, e.g. `onParameters@5`. */
  readonly issuedIn: string;
  /** Whether the call carried the step's AbortSignal. */
  readonly forwardedSignal: boolean;
}

/** One rank's exchange: records its requests and how many are still in flight. */
export interface RecordingExchange extends Exchange {
  readonly rank: number;
  readonly log: RecordedRequest[];
  /** Requests issued and not yet completed. */
  readonly inFlight: number;
}

/** A group of {@link RecordingExchange}s, one per rank. */
export interface ExchangeGroup {
  readonly ranks: readonly RecordingExchange[];
  /** Counts every request and every completed round: unchanged means nothing moved. */
  readonly progress: number;
  /** Tell the group which hook `rank` is in, for the records (`onGradients@3`). */
  enter(rank: number, hook: string, signal: AbortSignal | undefined): void;
}

interface Pending {
  readonly rank: number;
  readonly view: Float32Array;
  readonly request: ExchangeRequest;
  readonly signature: string;
  readonly resolve: (result: ExchangeResult) => void;
  readonly reject: (error: unknown) => void;
}

/** The signature ranks must agree on for one request. */
export function requestSignature(request: ExchangeRequest): string {
  const bucket = request.bucket ? `[${request.bucket.offset}+${request.bucket.length}]` : '[all]';
  const extras = request.compress === false ? ' uncompressed' : '';
  return `${request.stream}@${request.step} ${bucket} ${request.pattern ?? 'all'}/${request.reduction ?? 'mean'}${extras}`;
}

/**
 * `size` exchanges over one in-process group. Pattern `all` averages (or sums) in rank order, so
 * every rank gets the same bits; `neighbours` and `push-sum` mix with `neighbourhood(rank, step)`
 * (x ← self·x + Σ w·x_j, and the same on the push-sum weight). Buffers are not compressed.
 */
export function recordingExchanges(size: number, neighbourhood: (rank: number, step: number) => Neighbourhood): ExchangeGroup {
  const rounds: Pending[][] = [];
  const issued = new Array<number>(size).fill(0);
  const inFlight = new Array<number>(size).fill(0);
  const hooks: { hook: string; signal: AbortSignal | undefined }[] = Array.from({ length: size }, () => ({ hook: 'outside a hook', signal: undefined }));
  let progress = 0;

  const finish = (round: Pending[]) => {
    progress++;
    const first = round[0]!;
    const fail = (error: unknown) => round.forEach((p) => p.reject(error));
    if (round.some((p) => p.signature !== first.signature)) {
      return fail(new ContractViolation(`ranks disagree on exchange #${rounds.indexOf(round)}: ${round.map((p) => `rank ${p.rank}: ${p.signature}`).join('; ')}`));
    }
    if (round.some((p) => p.view.length !== first.view.length)) {
      return fail(new LengthMismatchError('exchange', new Map(round.map((p) => [p.rank, p.view.length]))));
    }
    const pattern = first.request.pattern ?? 'all';
    const inputs = round.map((p) => Float64Array.from(p.view));
    const weights = round.map((p) => p.request.weight ?? 1);
    const results: ExchangeResult[] = [];
    for (const p of round) {
      let weight: number | undefined;
      if (pattern === 'all') {
        const divisor = (p.request.reduction ?? 'mean') === 'mean' ? size : 1;
        for (let i = 0; i < p.view.length; i++) {
          let sum = 0;
          for (const input of inputs) sum += input[i]!;
          p.view[i] = sum / divisor;
        }
      } else {
        const n = neighbourhood(p.rank, p.request.step);
        for (let i = 0; i < p.view.length; i++) {
          let mixed = n.self * inputs[p.rank]![i]!;
          for (const edge of n.receive) mixed += edge.weight * inputs[edge.peer]![i]!;
          p.view[i] = mixed;
        }
        if (pattern === 'push-sum') weight = n.self * weights[p.rank]! + n.receive.reduce((w, edge) => w + edge.weight * weights[edge.peer]!, 0);
      }
      results.push({ bytesSent: p.view.byteLength, compressionMs: 0, communicationMs: 0, ...(weight !== undefined && { weight }) });
    }
    round.forEach((p, rank) => p.resolve(results[rank]!));
  };

  const ranks = Array.from({ length: size }, (_, rank): RecordingExchange => {
    const log: RecordedRequest[] = [];
    return {
      rank,
      log,
      get inFlight() {
        return inFlight[rank]!;
      },
      run(buffer: Float32Array, request: ExchangeRequest, options?: CallOptions): Promise<ExchangeResult> {
        progress++;
        let view: Float32Array;
        try {
          view = checkExchangeRequest(buffer, request);
        } catch (error) {
          return Promise.reject(error);
        }
        const signature = requestSignature(request);
        const here = hooks[rank]!;
        log.push({ request, signature, issuedIn: here.hook, forwardedSignal: here.signal !== undefined && options?.signal === here.signal });
        const index = issued[rank]!++;
        inFlight[rank]!++;
        return new Promise<ExchangeResult>((resolve, reject) => {
          const round = (rounds[index] ??= []);
          const done = <T>(settle: (value: T) => void) => (value: T) => {
            inFlight[rank]!--;
            settle(value);
          };
          round[rank] = { rank, view, request, signature, resolve: done(resolve), reject: done(reject) };
          // Like a network, a round completes later, never inside the call that filled it.
          if (round.filter(Boolean).length === size) setImmediate(() => finish(round));
        });
      },
    };
  });

  return {
    ranks,
    get progress() {
      return progress;
    },
    enter(rank, hook, signal) {
      progress++;
      hooks[rank] = { hook, signal };
    },
  };
}
