/** Test helpers for @syncopate/sync-policy. */
export {};
