/**
 * @packageDocumentation
 * Open MPI for Node: our N-API binding and an MPI Transport for Syncopate.
 */
export {};
