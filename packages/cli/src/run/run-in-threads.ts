/**
 * `--transport local`: every rank in a worker thread of this process, over shared memory
 * (transport-local's `runThreads`). Rank 0's messages come back over a `BroadcastChannel`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { TransportError } from '@syncopate/core';
import { runThreads } from '@syncopate/transport-local';
import type { TrainConfig } from '../config/train-config.js';
import type { RankResult, RunMessage } from './run-messages.js';
import type { ThreadRankArgs } from './thread-rank.js';

/** Deadline of each message or collective between ranks; a lost rank is reported at once anyway. */
const CALL_TIMEOUT_MS = 300_000;
/** Longest run: a week. */
const RUN_TIMEOUT_MS = 7 * 24 * 3600 * 1000;

/** The compiled worker module (from `dist/` also when this file runs from its sources under vitest). */
function threadModule(): URL {
  const here = import.meta.url;
  const module = here.endsWith('.ts') ? new URL('../../dist/run/thread-rank.js', here) : new URL('./thread-rank.js', here);
  if (!existsSync(fileURLToPath(module))) {
    throw new TransportError(`the worker module ${fileURLToPath(module)} is missing; build @syncopate/cli first (npx nx run @syncopate/cli:build)`);
  }
  return module;
}

/** Train `config` on `config.ranks` worker threads; rank 0's messages go to `onMessage`. */
export async function runInThreads(config: TrainConfig, onMessage: (message: RunMessage) => void): Promise<RankResult[]> {
  const name = `syncopate-run-${randomUUID()}`;
  const channel = new BroadcastChannel(name);
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => (ended = resolve));
  channel.onmessage = (event) => {
    const message = (event as MessageEvent).data as RunMessage | { type: 'end' };
    if (message.type === 'end') ended();
    else onMessage(message);
  };
  try {
    const args: ThreadRankArgs = { config, channel: name };
    const results = await runThreads<RankResult, ThreadRankArgs>({
      ranks: config.ranks,
      module: threadModule(),
      exportName: 'threadRank',
      args,
      timeoutMs: RUN_TIMEOUT_MS,
      callTimeoutMs: CALL_TIMEOUT_MS,
    });
    // Rank 0 posted 'end' before returning; wait for it so no event is lost.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([end, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    return results;
  } finally {
    channel.close();
  }
}
