/** Test helpers for @syncopate/topology. */
export {};
