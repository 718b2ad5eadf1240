/**
 * A small dependency-free SVG line-chart writer, enough for training curves: several series,
 * linear or log axes with round ticks, a legend. Used by `syncopate plot`.
 */
import { chartDrawing, type ChartOptions, type DrawItem, type Series } from './plot/chart-drawing.js';

export type { ChartOptions, Series } from './plot/chart-drawing.js';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function svgItem(item: DrawItem): string {
  switch (item.kind) {
    case 'line':
      return `<line x1="${item.x1}" x2="${item.x2}" y1="${item.y1}" y2="${item.y2}" stroke="${item.colour}"${item.width === 1 ? '' : ` stroke-width="${item.width}"`}/>`;
    case 'polyline': {
      const d = item.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${item.colour}" stroke-width="${item.width}"/>`;
    }
    case 'rect':
      return `<rect x="${item.x}" y="${item.y}" width="${item.w}" height="${item.h}" fill="${item.fill ?? 'none'}"${item.stroke ? ` stroke="${item.stroke}"` : ''}/>`;
    case 'text': {
      const anchor = item.anchor === 'start' ? '' : ` text-anchor="${item.anchor}"`;
      const size = item.size === 12 ? '' : ` font-size="${item.size}"`;
      const rotate = item.vertical ? ` transform="rotate(-90 ${item.x} ${item.y})"` : '';
      return `<text x="${item.x}" y="${item.y}"${anchor}${size}${rotate}>${escape(item.text)}</text>`;
    }
  }
}

/**
 * Render `series` as a standalone SVG document.
 *
 * @example
 * ```ts
 * writeFileSync('loss.svg', lineChart([{ label: 'bsp', points: [[0, 2.3], [100, 0.6]] }], { title: 'Loss', xLabel: 'step', yLabel: 'loss', logY: true }));
 * ```
 */
export function lineChart(series: readonly Series[], options: ChartOptions): string {
  const drawing = chartDrawing(series, options);
  const { width, height } = drawing;
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`;
  return [open, ...drawing.items.map(svgItem), '</svg>'].join('\n') + '\n';
}
