import { OptionError, type Exchange, type ExchangeRequest, type ExchangeResult, type Neighbourhood } from '@syncopate/core';
import type { RecordingExchange } from './in-memory-exchange.js';

/**
 * `size` exchanges over a graph given by `neighbourhood(rank, step)`, for testing gossip policies
 * without a transport. A request completes when every rank has made its n-th request (they must
 * agree on stream, step and pattern). Pattern `neighbours`: x_r ← self·x_r + Σ_receive w·x_j.
 * Pattern `push-sum`: every rank keeps self·(x, w) and sends edge.weight·(x, w) along each `send`
 * edge; the new weight is returned. Pattern `all`: the mean (or sum) over ranks. Sums are in
 * float64, as the collectives do.
 */
export function inMemoryGossipExchanges(size: number, neighbourhood: (rank: number, step: number) => Neighbourhood): RecordingExchange[] {
  interface Pending {
    buffer: Float32Array;
    request: ExchangeRequest;
    resolve: (result: ExchangeResult) => void;
    reject: (error: Error) => void;
  }
  const rounds: Pending[][] = [];
  const counts = new Array<number>(size).fill(0);
  const label = (r: ExchangeRequest) => `${r.stream}@${r.step}/${r.pattern ?? 'all'}`;

  const complete = (round: Pending[]) => {
    const first = round[0]!.request;
    if (round.some((p) => label(p.request) !== label(first))) {
      const error = new OptionError('inMemoryGossipExchange', 'request', `ranks disagree: ${round.map((p) => label(p.request)).join(' vs ')}`);
      round.forEach((p) => p.reject(error));
      return;
    }
    const inputs = round.map((p) => Float64Array.from(p.buffer));
    const weights = round.map((p) => p.request.weight ?? 1);
    const outputs = inputs.map((x) => new Float64Array(x.length));
    const newWeights = new Array<number>(size).fill(0);
    const pattern = first.pattern ?? 'all';
    for (let r = 0; r < size; r++) {
      if (pattern === 'all') {
        for (const x of inputs) for (let i = 0; i < x.length; i++) outputs[r]![i] += x[i]! / ((first.reduction ?? 'mean') === 'mean' ? size : 1);
        continue;
      }
      const hood = neighbourhood(r, first.step);
      if (pattern === 'neighbours') {
        for (let i = 0; i < inputs[r]!.length; i++) outputs[r]![i] += hood.self * inputs[r]![i]!;
        for (const edge of hood.receive) for (let i = 0; i < inputs[r]!.length; i++) outputs[r]![i] += edge.weight * inputs[edge.peer]![i]!;
      } else {
        for (let i = 0; i < inputs[r]!.length; i++) outputs[r]![i] += hood.self * inputs[r]![i]!;
        newWeights[r] += hood.self * weights[r]!;
        for (const edge of hood.send) {
          for (let i = 0; i < inputs[r]!.length; i++) outputs[edge.peer]![i] += edge.weight * inputs[r]![i]!;
          newWeights[edge.peer] += edge.weight * weights[r]!;
        }
      }
    }
    round.forEach((p, r) => {
      p.buffer.set(outputs[r]!);
      p.resolve({ bytesSent: p.buffer.byteLength, compressionMs: 0, communicationMs: 0, ...(pattern === 'push-sum' && { weight: newWeights[r]! }) });
    });
  };

  return Array.from({ length: size }, (_, rank) => {
    const requests: ExchangeRequest[] = [];
    const exchange: Exchange & { requests: ExchangeRequest[] } = {
      requests,
      run(buffer: Float32Array, request: ExchangeRequest): Promise<ExchangeResult> {
        requests.push(request);
        return new Promise<ExchangeResult>((resolve, reject) => {
          const round = (rounds[counts[rank]!++] ??= []);
          round[rank] = { buffer, request, resolve, reject };
          if (round.filter(Boolean).length === size) complete(round);
        });
      },
    };
    return exchange;
  });
}
