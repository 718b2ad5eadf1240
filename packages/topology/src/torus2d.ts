import { Capabilities, OptionError, knownOptions, numberOption } from '@syncopate/core';
import { GraphTopology } from './graph-topology.js';
import { topologySpec, type TopologySpec } from './topology-spec.js';

/** Options of {@link torus2d}. */
export interface Torus2dOptions {
  /** Rows of the grid; with `cols` omitted it must divide the number of ranks. */
  readonly rows?: number;
  /** Columns of the grid; with `rows` omitted it must divide the number of ranks. */
  readonly cols?: number;
}

/** The grid shape for `size` ranks: the given sides, or the most nearly square factorisation. */
export function torusShape(size: number, rows?: number, cols?: number): { rows: number; cols: number } {
  if (rows !== undefined && cols !== undefined) {
    if (rows * cols !== size) throw new OptionError('torus2d', 'rows', `× cols must equal the number of ranks: ${rows} × ${cols} ≠ ${size}`);
    return { rows, cols };
  }
  if (rows !== undefined || cols !== undefined) {
    const side = (rows ?? cols)!;
    if (size % side !== 0) throw new OptionError('torus2d', rows !== undefined ? 'rows' : 'cols', `must divide the number of ranks ${size}, got ${side}`);
    return rows !== undefined ? { rows, cols: size / rows } : { rows: size / side, cols: side };
  }
  let best = 1;
  for (let r = 1; r * r <= size; r++) if (size % r === 0) best = r;
  return { rows: best, cols: size / best };
}

/** The torus's edges: rank (r, c) = r·cols + c talks to (r ± 1, c) and (r, c ± 1), wrapping around. */
export function torusGraph(rows: number, cols: number): number[][] {
  const at = (r: number, c: number) => ((r + rows) % rows) * cols + ((c + cols) % cols);
  const lists: number[][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) lists.push([at(r - 1, c), at(r + 1, c), at(r, c - 1), at(r, c + 1)]);
  }
  return lists;
}

/**
 * The 2-D torus: ranks on a rows × cols grid that wraps around, each mixing with its four
 * neighbours (fewer when a side is 1 or 2). The layout of 2D-Torus all-reduce (Mikami et al.,
 * "Massively Distributed SGD: ImageNet/ResNet-50 Training in a Flash", 2018) and a common gossip
 * graph whose spectral gap shrinks as 1/n rather than the ring's 1/n².
 *
 * @example
 * ```ts
 * torus2d({ rows: 4 }).build(16).neighbourhood(5, 0) // peers 1, 9, 4, 6
 * ```
 */
export function torus2d(options: Torus2dOptions = {}): TopologySpec<Torus2dOptions> {
  knownOptions('torus2d', options, ['rows', 'cols']);
  const resolved: Torus2dOptions = {
    ...(options.rows !== undefined ? { rows: numberOption('torus2d', 'rows', options.rows, { min: 1, integer: true }) } : {}),
    ...(options.cols !== undefined ? { cols: numberOption('torus2d', 'cols', options.cols, { min: 1, integer: true }) } : {}),
  };
  return topologySpec({
    name: 'torus2d',
    options: resolved,
    provides: [Capabilities.doublyStochastic],
    build: (size) => {
      const { rows, cols } = torusShape(size, resolved.rows, resolved.cols);
      return new GraphTopology({ name: 'torus2d', size, graphAt: () => torusGraph(rows, cols), timeVarying: false, weights: 'uniform' });
    },
  });
}
