/** Test helpers for @syncopate/sync-policy: an in-process, uncompressed exchange for N ranks, and plugin harnesses. */
export { inMemoryExchanges, type RecordingExchange } from './in-memory-exchange.js';
export { buildPlugin, testStepContext } from './plugin-harness.js';
export { inMemoryGossipExchanges } from './gossip-exchange.js';
