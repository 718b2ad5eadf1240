/** Line charts as PNG images: the same layout as the SVG charts, rasterised with a bitmap font. */
import { chartDrawing, type ChartOptions, type Drawing, type Series } from './chart-drawing.js';
import { encodePng } from './png-encoder.js';
import { RasterCanvas } from './raster-canvas.js';

const TEXT = '#222222';

/** Rasterise a drawing onto a canvas. */
export function rasterize(drawing: Drawing): RasterCanvas {
  const canvas = new RasterCanvas(drawing.width, drawing.height);
  for (const item of drawing.items) {
    switch (item.kind) {
      case 'rect':
        if (item.fill) canvas.fillRect(item.x, item.y, item.w, item.h, item.fill);
        if (item.stroke) canvas.strokeRect(item.x, item.y, item.w, item.h, item.stroke);
        break;
      case 'line':
        canvas.line(item.x1, item.y1, item.x2, item.y2, item.colour, item.width);
        break;
      case 'polyline':
        for (let i = 1; i < item.points.length; i++) {
          const [a, b] = [item.points[i - 1]!, item.points[i]!];
          canvas.line(a[0], a[1], b[0], b[1], item.colour, item.width);
        }
        if (item.points.length === 1) canvas.line(item.points[0]![0], item.points[0]![1], item.points[0]![0], item.points[0]![1], item.colour, item.width);
        break;
      case 'text':
        canvas.text(item.x, item.y, item.text, TEXT, item.size >= 14 ? 2 : 1, item.anchor, item.vertical);
        break;
    }
  }
  return canvas;
}

/**
 * Render `series` as a PNG file's bytes.
 *
 * @example
 * ```ts
 * writeFileSync('loss.png', lineChartPng([{ label: 'bsp', points: [[0, 2.3], [100, 0.6]] }], { title: 'Loss', xLabel: 'step', yLabel: 'loss' }));
 * ```
 */
export function lineChartPng(series: readonly Series[], options: ChartOptions): Uint8Array {
  const canvas = rasterize(chartDrawing(series, options));
  return encodePng(canvas.width, canvas.height, canvas.pixels);
}
