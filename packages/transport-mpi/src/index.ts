/**
 * @packageDocumentation
 * Open MPI for Node: our N-API binding ({@link MpiBinding}, loaded by {@link loadMpiBinding})
 * and {@link MpiTransport}, the Syncopate `Transport` over it, with native allreduce, broadcast,
 * allgather(v), gather, reduce-scatter, barrier, split, messages and non-blocking handles.
 * {@link mpirunArgs} builds the `mpirun` flags that work on one machine or several.
 */
export type { CommHandle, MpiBinding, MpiInitInfo, MpiInitOptions, MpiNativeError, MpiNativeErrorCode, MpiPeer } from './binding.js';
export { DEFAULT_ADDON_PATH, MpiUnavailableError, loadMpiBinding, type LoadMpiBindingOptions, type MpiUnavailableReason } from './load-binding.js';
export { MpiTransport } from './mpi-transport.js';
export { mpiTransport } from './create-mpi-transport.js';
export { mpiTransportSettings, type MpiTransportOptions, type MpiTransportSettings } from './mpi-transport-options.js';
export { MpiRequest } from './mpi-request.js';
export { CollectiveQueue } from './collective-queue.js';
export { mpirunArgs, type MpirunOptions } from './mpirun-args.js';
export { processExists, type ProcessExists } from './peer-watch.js';
