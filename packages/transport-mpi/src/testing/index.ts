/** Test helpers for @syncopate/transport-mpi. */
export {};
