/** Test helpers for @syncopate/transport-local. */
export {};
