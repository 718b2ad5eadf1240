/** Test helpers for @syncopate/momentum. */
export {};
