import { OptionError, knownOptions, numberOption } from '@syncopate/core';

/** Cost of one directed link; omitted fields keep the network's default. */
export interface LinkOverride {
  /** Sending rank; omitted: every rank. */
  readonly from?: number;
  /** Receiving rank; omitted: every rank. */
  readonly to?: number;
  /** One-way latency α in ms. */
  readonly latencyMs?: number;
  /** Bandwidth in Gbit/s (1 Gbit/s = 125 000 bytes/ms). Give this or `bytesPerMs`. */
  readonly bandwidthGbps?: number;
  /** Bandwidth in bytes per ms (β = 1/bytesPerMs). */
  readonly bytesPerMs?: number;
}

/** Bytes per millisecond in one Gbit/s. */
export const BYTES_PER_MS_PER_GBPS = 125_000;

/**
 * The α-β cost of every directed link of a simulated network: a message of b bytes from rank i to
 * rank j takes α_ij + b / B_ij (Hockney, "The communication challenge for MPP: Intel Paragon and
 * Meiko CS-2", Parallel Computing 1994). A rank's messages to itself cost nothing.
 */
export class NetworkModel {
  private constructor(
    readonly size: number,
    private readonly latency: Float64Array,
    private readonly bandwidth: Float64Array,
  ) {}

  /** Checks and applies the default link cost and then each override in order. */
  static fromOptions(owner: string, size: number, defaults: LinkOverride, links: readonly LinkOverride[] = []): NetworkModel {
    const latency = new Float64Array(size * size);
    const bandwidth = new Float64Array(size * size);
    const base = checkLink(owner, size, defaults, 'options', false);
    latency.fill(base.latencyMs ?? 0);
    bandwidth.fill(base.bytesPerMs ?? Infinity);
    if (!Array.isArray(links)) throw new OptionError(owner, 'links', 'must be an array of { from?, to?, latencyMs?, bandwidthGbps?, bytesPerMs? }');
    links.forEach((link, index) => {
      const checked = checkLink(owner, size, link, `links[${index}]`, true);
      for (let from = 0; from < size; from++) {
        if (checked.from !== undefined && checked.from !== from) continue;
        for (let to = 0; to < size; to++) {
          if (checked.to !== undefined && checked.to !== to) continue;
          if (checked.latencyMs !== undefined) latency[from * size + to] = checked.latencyMs;
          if (checked.bytesPerMs !== undefined) bandwidth[from * size + to] = checked.bytesPerMs;
        }
      }
    });
    return new NetworkModel(size, latency, bandwidth);
  }

  /** α of the link, in ms (0 to itself). */
  latencyMs(from: number, to: number): number {
    return from === to ? 0 : this.latency[from * this.size + to]!;
  }

  /** B of the link, in bytes per ms (Infinity to itself). */
  bytesPerMs(from: number, to: number): number {
    return from === to ? Infinity : this.bandwidth[from * this.size + to]!;
  }
}

function checkLink(owner: string, size: number, link: LinkOverride, where: string, isOverride: boolean) {
  const prefix = where === 'options' ? '' : `${where}.`;
  if (isOverride) knownOptions(owner, link, ['from', 'to', 'latencyMs', 'bandwidthGbps', 'bytesPerMs']);
  const rank = { min: 0, max: size - 1, integer: true };
  const from = link.from === undefined ? undefined : numberOption(owner, `${prefix}from`, link.from, rank);
  const to = link.to === undefined ? undefined : numberOption(owner, `${prefix}to`, link.to, rank);
  const latencyMs = link.latencyMs === undefined ? undefined : numberOption(owner, `${prefix}latencyMs`, link.latencyMs, { min: 0 });
  if (link.bandwidthGbps !== undefined && link.bytesPerMs !== undefined) {
    throw new OptionError(owner, `${prefix}bandwidthGbps`, `and '${prefix}bytesPerMs' both give the bandwidth; pass one of them`);
  }
  let bytesPerMs: number | undefined;
  if (link.bandwidthGbps !== undefined) bytesPerMs = numberOption(owner, `${prefix}bandwidthGbps`, link.bandwidthGbps, { above: 0 }) * BYTES_PER_MS_PER_GBPS;
  if (link.bytesPerMs !== undefined) bytesPerMs = numberOption(owner, `${prefix}bytesPerMs`, link.bytesPerMs, { above: 0 });
  return { from, to, latencyMs, bytesPerMs };
}
