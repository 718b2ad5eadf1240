/**
 * Entry point of every worker of `runThreads`: builds this rank's transport over the shared
 * fabric, imports the user's module, calls its exported function with the transport and the
 * run's arguments, and posts the result (or the error) back. On success the transport is
 * disposed, so peers know the rank has finished; on failure the rank is marked failed first, so
 * peers waiting on it stop waiting at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TransportError } from '@syncopate/core';
import { LocalTransport } from '../local-transport.js';
import { ThreadEndpoint } from './thread-endpoint.js';
import { serializeError, type WorkerData, type WorkerReport } from './worker-protocol.js';

const data = workerData as WorkerData;
const endpoint = new ThreadEndpoint(data.fabric, data.rank, data.callTimeoutMs);
const world = Array.from({ length: data.fabric.size }, (_, rank) => rank);
const transport = new LocalTransport(endpoint, 'local-threads', world, 0);

function post(report: WorkerReport): void {
  parentPort!.postMessage(report);
}

try {
  const module = (await import(data.module)) as Record<string, unknown>;
  const main = module[data.exportName];
  if (typeof main !== 'function') {
    throw new TransportError(`runThreads: ${data.module} has no exported function '${data.exportName}'`, [data.rank]);
  }
  const value: unknown = await main(transport, data.args);
  await transport.dispose();
  post({ kind: 'result', value });
} catch (error) {
  endpoint.fail();
  await transport.dispose();
  post({ kind: 'error', error: serializeError(error) });
}
