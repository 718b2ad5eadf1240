/**
 * Reserved message tags.
 *
 * The point-to-point algorithms of this package send their internal messages with tags in
 * [32000, 32767] (`MAX_TAG`), so they never match a message another plugin sends with its own
 * tags. Plugins that talk point-to-point themselves (parameter-server policies, for instance)
 * should keep to tags below {@link COLLECTIVE_TAGS.first}.
 *
 * Each algorithm has its own tag, and each ring pass a range of 8 (one tag per message in flight,
 * `RING_PIPELINE_DEPTH` ≤ 8). That is enough because collectives on one communicator run one at
 * a time and every algorithm is deterministic: between two ranks, messages with one tag arrive
 * in send order, and each rank receives exactly the messages its peer sent for the same call.
 */
export const COLLECTIVE_TAGS = Object.freeze({
  /** First tag reserved for collectives. */
  first: 32000,
  /** Last tag reserved for collectives (core's `MAX_TAG`). */
  last: 32767,
  /** 32000–32007: ring reduce-scatter, one tag per message in flight. */
  ringReduceScatter: 32000,
  /** 32008–32015: ring allgather, one tag per message in flight. */
  ringAllgather: 32008,
  recursiveDoubling: 32016,
  binaryTreeReduce: 32017,
  binaryTreeBroadcast: 32018,
  binomialBroadcast: 32019,
  byteAllgather: 32020,
  neighbourAverage: 32021,
  pushSum: 32022,
  globalTopK: 32023,
});
