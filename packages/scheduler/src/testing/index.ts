/** Test helpers for @syncopate/scheduler. */
export {};
