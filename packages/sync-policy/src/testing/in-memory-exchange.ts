import { LengthMismatchError, OptionError, type Exchange, type ExchangeRequest, type ExchangeResult } from '@syncopate/core';

/** One rank's view of an {@link inMemoryExchanges} group, with the requests it received. */
export interface RecordingExchange extends Exchange {
  readonly requests: ExchangeRequest[];
}

/**
 * `size` exchanges that average (or sum) buffers across in-process ranks, uncompressed, for
 * testing sync policies without a transport. A request completes when every rank has made its
 * n-th request; the ranks' n-th requests must agree on stream, step and bucket, else every rank
 * rejects, as a real exchange would deadlock or corrupt. Only pattern `all` is supported.
 */
export function inMemoryExchanges(size: number): RecordingExchange[] {
  interface Pending {
    buffer: Float32Array;
    request: ExchangeRequest;
    resolve: (result: ExchangeResult) => void;
    reject: (error: Error) => void;
  }
  const rounds: Pending[][] = [];
  const counts = new Array<number>(size).fill(0);

  const complete = (round: Pending[]) => {
    const first = round[0]!;
    const describe = (r: ExchangeRequest) => `${r.stream}@${r.step}/${r.bucket?.index ?? 'all'}`;
    const mismatch = round.find((p) => describe(p.request) !== describe(first.request));
    if (mismatch) {
      const error = new OptionError('inMemoryExchange', 'request', `ranks disagree: ${round.map((p) => describe(p.request)).join(' vs ')}`);
      round.forEach((p) => p.reject(error));
      return;
    }
    const views = round.map(({ buffer, request: { bucket } }) => (bucket ? buffer.subarray(bucket.offset, bucket.offset + bucket.length) : buffer));
    if (views.some((v) => v.length !== views[0]!.length)) {
      const error = new LengthMismatchError('inMemoryExchange', new Map(views.map((v, rank) => [rank, v.length])));
      round.forEach((p) => p.reject(error));
      return;
    }
    const total = new Float64Array(views[0]!.length);
    for (const view of views) for (let i = 0; i < view.length; i++) total[i] = total[i]! + view[i]!;
    const divisor = (first.request.reduction ?? 'mean') === 'mean' ? size : 1;
    for (const view of views) for (let i = 0; i < view.length; i++) view[i] = total[i]! / divisor;
    round.forEach((p, rank) => p.resolve({ bytesSent: views[rank]!.byteLength, compressionMs: 0, communicationMs: 0 }));
  };

  return Array.from({ length: size }, (_, rank) => {
    const requests: ExchangeRequest[] = [];
    return {
      requests,
      run(buffer: Float32Array, request: ExchangeRequest): Promise<ExchangeResult> {
        if ((request.pattern ?? 'all') !== 'all') return Promise.reject(new OptionError('inMemoryExchange', 'pattern', "only 'all' is supported"));
        requests.push(request);
        return new Promise<ExchangeResult>((resolve, reject) => {
          const n = counts[rank]!++;
          const round = (rounds[n] ??= []);
          round[rank] = { buffer, request, resolve, reject };
          if (round.filter(Boolean).length === size) complete(round);
        });
      },
    };
  });
}
