/**
 * The layout of a line chart — axes with round ticks, grid, labels, one polyline per series, a
 * legend — as a list of drawing primitives in pixel coordinates. The SVG and PNG writers render
 * the same drawing, so both formats show the same chart.
 */

/** One curve. */
export interface Series {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Titles, size and scale of a chart. */
export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  /** Plot y on a log10 scale (values ≤ 0 are dropped). */
  readonly logY?: boolean;
}

/** A drawing primitive; colours are `#rrggbb`. */
export type DrawItem =
  | { readonly kind: 'line'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly colour: string; readonly width: number }
  | { readonly kind: 'polyline'; readonly points: readonly (readonly [number, number])[]; readonly colour: string; readonly width: number }
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly fill?: string; readonly stroke?: string }
  | {
      readonly kind: 'text';
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly anchor: 'start' | 'middle' | 'end';
      readonly size: number;
      /** Rotated a quarter turn anticlockwise about (x, y) (the y-axis label). */
      readonly vertical?: boolean;
    };

/** A chart as primitives on a `width` × `height` pixel canvas, drawn in order. */
export interface Drawing {
  readonly width: number;
  readonly height: number;
  readonly items: readonly DrawItem[];
}

/** Series colours, in order. */
export const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** Round tick positions covering [min, max]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * Ticks of a log10 axis spanning [min, max] (in log10 units): 1, 2 and 5 times powers of ten
 * (only powers of ten over wide ranges), or linear round ticks when fewer than two fall inside.
 * Returned in log10 units.
 */
export function logTicks(min: number, max: number): number[] {
  const decades = max - min;
  const multiples = decades > 3 ? [1] : decades > 1 ? [1, 2, 5] : [1, 1.5, 2, 3, 4, 5, 6, 8];
  const ticks: number[] = [];
  for (let k = Math.floor(min); k <= Math.ceil(max); k++) {
    for (const m of multiples) {
      const t = Math.log10(m) + k;
      if (t >= min - 1e-9 && t <= max + 1e-9) ticks.push(t);
    }
  }
  if (ticks.length >= 2) return ticks;
  return niceTicks(10 ** min, 10 ** max).filter((v) => v > 0).map((v) => Math.log10(v));
}

/** A tick label: up to 4 significant digits, exponent form for very large or small values. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

/** Lay out `series` as a chart. */
export function chartDrawing(series: readonly Series[], options: ChartOptions): Drawing {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  const margin = { left: 70, right: 20, top: 40, bottom: 55 };
  const transformY = (y: number) => (options.logY ? Math.log10(y) : y);
  const usable = series.map((s) => ({
    label: s.label,
    points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!options.logY || y > 0)),
  }));
  const xs = usable.flatMap((s) => s.points.map((p) => p[0]));
  const ys = usable.flatMap((s) => s.points.map((p) => transformY(p[1])));
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0 || 1)) * (width - margin.left - margin.right);
  const py = (y: number) => height - margin.bottom - ((y - y0) / (y1 - y0)) * (height - margin.top - margin.bottom);
  const grid = '#eeeeee';
  const ink = '#444444';

  const items: DrawItem[] = [
    { kind: 'rect', x: 0, y: 0, w: width, h: height, fill: '#ffffff' },
    { kind: 'text', x: width / 2, y: 22, text: options.title, anchor: 'middle', size: 15 },
  ];
  for (const t of niceTicks(x0, x1)) {
    items.push({ kind: 'line', x1: px(t), x2: px(t), y1: margin.top, y2: height - margin.bottom, colour: grid, width: 1 });
    items.push({ kind: 'text', x: px(t), y: height - margin.bottom + 16, text: formatTick(t), anchor: 'middle', size: 12 });
  }
  for (const t of options.logY ? logTicks(y0, y1) : niceTicks(y0, y1)) {
    items.push({ kind: 'line', x1: margin.left, x2: width - margin.right, y1: py(t), y2: py(t), colour: grid, width: 1 });
    items.push({ kind: 'text', x: margin.left - 6, y: py(t) + 4, text: options.logY ? formatTick(10 ** t) : formatTick(t), anchor: 'end', size: 12 });
  }
  items.push(
    { kind: 'rect', x: margin.left, y: margin.top, w: width - margin.left - margin.right, h: height - margin.top - margin.bottom, stroke: ink },
    { kind: 'text', x: width / 2, y: height - 15, text: options.xLabel, anchor: 'middle', size: 12 },
    { kind: 'text', x: 18, y: height / 2, text: `${options.yLabel}${options.logY ? ' (log)' : ''}`, anchor: 'middle', size: 12, vertical: true },
  );
  // The legend sits in the top right corner, as wide as its longest label (about 6.5 px a character).
  const legendX = width - margin.right - Math.max(150, 35 + 6.5 * Math.max(0, ...usable.map((s) => s.label.length)));
  usable.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    if (s.points.length > 0) items.push({ kind: 'polyline', points: s.points.map(([x, y]) => [px(x), py(transformY(y))] as const), colour, width: 1.6 });
    const ly = margin.top + 14 + i * 16;
    items.push({ kind: 'line', x1: legendX, x2: legendX + 20, y1: ly - 4, y2: ly - 4, colour, width: 2 });
    items.push({ kind: 'text', x: legendX + 25, y: ly, text: s.label, anchor: 'start', size: 12 });
  });
  return { width, height, items };
}
