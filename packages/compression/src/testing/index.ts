/** Test helpers for @syncopate/compression. */
export {};
