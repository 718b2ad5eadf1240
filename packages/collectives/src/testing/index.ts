/** Test helpers for @syncopate/collectives. */
export {};
