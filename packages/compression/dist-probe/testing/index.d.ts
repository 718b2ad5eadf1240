/** Test helpers for @syncopate/compression. */
export {};
//# sourceMappingURL=index.d.ts.map