/**
 * @packageDocumentation
 * N ranks inside one process: worker threads over shared memory ({@link runThreads}), or a
 * deterministic simulated network with an α-β cost model and a virtual clock
 * ({@link simulatedNetwork}, {@link runSimulated}). Both hand out the `Transport` of
 * `@syncopate/core`, with native allreduce (ring), broadcast (binomial tree), allgather (ring),
 * reduce-scatter (ring), a dissemination barrier and `split`.
 */
export { LocalTransport } from './local-transport.js';
export { DeadlockError } from './errors.js';
export { runThreads, type RunThreadsOptions, type ThreadMain } from './threads/run-threads.js';
export {
  SimulatedNetwork,
  runSimulated,
  simulatedNetwork,
  type SimulatedNetworkOptions,
  type SimulatedRun,
} from './simulated/simulated-network.js';
export { SimulatedTransport, type ComputeTime } from './simulated/simulated-transport.js';
export { BYTES_PER_MS_PER_GBPS, type LinkOverride } from './simulated/network-model.js';
