import type { Transport } from '@syncopate/core';
import { collectiveProperties } from './collective-properties.js';

/**
 * Runs the whole property suite on this rank and returns the names of the properties that held.
 * A worker-thread or MPI rank entry point: `runThreads({ module: '…/run-properties.js', exportName:
 * 'runCollectiveProperties', args: { seed } })`.
 */
export async function runCollectiveProperties(transport: Transport, args: { readonly seed: number }): Promise<string[]> {
  const passed: string[] = [];
  for (const property of collectiveProperties()) {
    await property.run(transport, args.seed);
    passed.push(property.name);
  }
  return passed;
}
