/**
 * A communication graph on ranks `0..size-1`, stored as out-neighbour lists: `graph[i]` lists the
 * ranks that rank `i` sends to. An undirected graph lists every edge in both directions.
 *
 * Graph builders may produce self-loops or repeated peers on small sizes (a 2-rank ring, a torus
 * with two rows); {@link normalizeGraph} removes them so weights are computed on simple graphs.
 */
export type Graph = readonly (readonly number[])[];

/** Drop self-loops and repeated peers, and sort each list (so equal graphs compare equal). */
export function normalizeGraph(graph: readonly (readonly number[])[]): Graph {
  return graph.map((peers, rank) => Object.freeze([...new Set(peers)].filter((p) => p !== rank).sort((a, b) => a - b)));
}

/** In-neighbour lists: `result[j]` lists every `i` with an edge `i → j`, ascending. */
export function inNeighbours(graph: Graph): Graph {
  const incoming: number[][] = graph.map(() => []);
  graph.forEach((peers, i) => {
    for (const j of peers) incoming[j]!.push(i);
  });
  return incoming.map((list) => list.sort((a, b) => a - b));
}

/** Whether every edge `i → j` has its reverse `j → i`. */
export function isUndirected(graph: Graph): boolean {
  const edges = new Set<string>();
  graph.forEach((peers, i) => peers.forEach((j) => edges.add(`${i}>${j}`)));
  return graph.every((peers, i) => peers.every((j) => edges.has(`${j}>${i}`)));
}

/** Add both directions of each `[a, b]` pair to `lists` (mutated) and return it. */
export function addUndirectedEdges(lists: number[][], pairs: Iterable<readonly [number, number]>): number[][] {
  for (const [a, b] of pairs) {
    lists[a]!.push(b);
    lists[b]!.push(a);
  }
  return lists;
}

/** `size` empty adjacency lists. */
export function emptyLists(size: number): number[][] {
  return Array.from({ length: size }, () => []);
}
