/**
 * The module `runThreads` loads in each worker thread (compiled: `dist/run/thread-rank.js`).
 * Rank 0 posts its messages on a `BroadcastChannel` the launching thread listens to, then a last
 * `{ type: 'end' }`, so the launcher knows every message has arrived.
 */
import { BroadcastChannel } from 'node:worker_threads';
import type { Transport } from '@syncopate/core';
import type { TrainConfig } from '../config/train-config.js';
import { runRank } from './rank-program.js';
import type { RankResult } from './run-messages.js';

/** What the launcher hands every worker. */
export interface ThreadRankArgs {
  readonly config: TrainConfig;
  /** Name of the channel rank 0 reports on. */
  readonly channel: string;
}

/** One rank in a worker thread. */
export async function threadRank(transport: Transport, args: ThreadRankArgs): Promise<RankResult> {
  const channel = transport.rank === 0 ? new BroadcastChannel(args.channel) : undefined;
  try {
    return await runRank(transport, args.config, channel ? { sink: (message) => channel.postMessage(message) } : {});
  } finally {
    channel?.postMessage({ type: 'end' });
    channel?.close();
  }
}
