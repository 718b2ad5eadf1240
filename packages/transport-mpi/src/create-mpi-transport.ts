import type { MpiBinding } from './binding.js';
import { loadMpiBinding } from './load-binding.js';
import { MpiTransport } from './mpi-transport.js';
import type { MpiTransportOptions } from './mpi-transport-options.js';

/**
 * The world transport of this MPI job: loads the native binding (or throws an error that says
 * what to install), initialises MPI and returns an {@link MpiTransport}.
 *
 * @example
 * ```ts
 * const transport = await mpiTransport({ timeoutMs: 60_000 });
 * console.log(`rank ${transport.rank} of ${transport.size}`);
 * await transport.dispose();
 * ```
 */
export async function mpiTransport(options: MpiTransportOptions = {}, binding: MpiBinding = loadMpiBinding()): Promise<MpiTransport> {
  return new MpiTransport(binding, options);
}
