/**
 * @packageDocumentation
 * N ranks inside one process: worker threads over shared memory, or a deterministic simulated network with a virtual clock.
 */
export {};
