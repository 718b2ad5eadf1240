/** Test helpers for @syncopate/compression. */
export {};
//# sourceMappingURL=index.js.map