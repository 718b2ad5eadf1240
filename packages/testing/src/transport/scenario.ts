import type { CallOptions, NativeCollectives, Transport } from '@syncopate/core';

/** What every scenario is given besides the transport. */
export interface ScenarioContext {
  /** Seed of the scenario's random data. */
  readonly seed: number;
  /** Index of the scenario in the suite (keys its random data). */
  readonly index: number;
  /** Deadline of each call, so that a broken transport fails a scenario instead of hanging it. */
  readonly timeoutMs: number;
  /** The short deadline the deadline and barrier scenarios wait for, in ms of the transport's clock. */
  readonly shortTimeoutMs: number;
  /** First of the 100 tags reserved for this scenario, so a failed scenario cannot disturb the next. */
  readonly tagBase: number;
  /** `{ timeoutMs }`: pass to every call. */
  readonly call: CallOptions;
}

/** What a scenario needs the transport to offer; without it the scenario is skipped. */
export type ScenarioNeed = keyof NativeCollectives | 'split';

/**
 * One property of the `Transport` contract, checked on every rank at once. `run` is called with
 * the same arguments on every rank of the transport and throws a plain `Error` when the property
 * does not hold.
 */
export interface TransportScenario {
  readonly name: string;
  readonly needs?: readonly ScenarioNeed[];
  run(transport: Transport, context: ScenarioContext): Promise<void>;
}

/** The next rank on the ring. */
export function nextRank(transport: Transport, distance = 1): number {
  return (transport.rank + distance) % transport.size;
}

/** The previous rank on the ring. */
export function previousRank(transport: Transport, distance = 1): number {
  return (((transport.rank - distance) % transport.size) + transport.size) % transport.size;
}

/** Sends to `to` and receives from `from` at once (safe even when sends wait for their receiver). */
export async function exchange(transport: Transport, to: number, from: number, tag: number, data: ArrayBufferView, call: CallOptions): Promise<Uint8Array> {
  const [, received] = await Promise.all([transport.send(to, tag, data, call), transport.recv(from, tag, call)]);
  return received;
}

/**
 * Lets `ms` pass on the transport's clock, virtual or real, by waiting for a message nobody
 * sends (from itself, on `tag`) until its deadline.
 */
export async function sleepOn(transport: Transport, tag: number, ms: number): Promise<void> {
  try {
    await transport.recv(transport.rank, tag, { timeoutMs: ms });
  } catch (error) {
    if ((error as { code?: string }).code === 'DEADLINE') return;
    throw error;
  }
  throw new Error(`sleepOn: a message arrived on tag ${tag}, which nobody sends`);
}
