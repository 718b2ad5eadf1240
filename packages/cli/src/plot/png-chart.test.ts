import { inflateSync } from 'node:zlib';
import { crc32 } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { FONT_CHARACTERS, glyphRows } from './bitmap-font.js';
import { chartDrawing, logTicks } from './chart-drawing.js';
import { lineChartPng, rasterize } from './png-chart.js';
import { encodePng } from './png-encoder.js';
import { RasterCanvas, parseColour } from './raster-canvas.js';

/** Decode the 8-bit RGB PNGs `encodePng` writes (checking every chunk's CRC) back to pixels. */
function decodePng(png: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(view.getUint32(offset + 8 + length), `CRC of ${type}`).toBe(crc32(png, offset + 4, offset + 8 + length));
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      expect([...data.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(idat));
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    expect(rows[y * (1 + 3 * width)]).toBe(0); // filter type 0
    rgb.set(rows.subarray(y * (1 + 3 * width) + 1, (y + 1) * (1 + 3 * width)), y * width * 3);
  }
  return { width, height, rgb };
}

describe('PNG charts', () => {
  it('encode pixels losslessly in a well-formed PNG', () => {
    const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
    expect(decodePng(encodePng(5, 3, rgb))).toEqual({ width: 5, height: 3, rgb });
    expect(() => encodePng(5, 3, new Uint8Array(10))).toThrow('encodePng: 10 bytes for 5×3 RGB pixels');
  });

  it('draw thick lines between their end points and text in the bitmap font', () => {
    const canvas = new RasterCanvas(40, 20);
    canvas.line(2, 3, 30, 15, '#ff0000', 2);
    expect(canvas.pixel(2, 3)).toEqual([255, 0, 0]);
    expect(canvas.pixel(30, 15)).toEqual([255, 0, 0]);
    expect(canvas.pixel(30, 3)).toEqual([255, 255, 255]);
    const text = new RasterCanvas(20, 10);
    text.text(0, 8, 'I', '#000000', 1, 'start');
    // 'I' is a bar in column 2 with serifs on rows 0 and 6 (baseline at y = 8: rows at y = 1…7).
    expect(text.pixel(2, 4)).toEqual([0, 0, 0]);
    expect(text.pixel(0, 4)).toEqual([255, 255, 255]);
    expect(text.pixel(1, 1)).toEqual([0, 0, 0]);
    expect(RasterCanvas.textWidth('loss', 2)).toBe(46);
  });

  it('have a glyph of 7 rows (9 with descenders) of 5 columns for every printable ASCII character', () => {
    for (let code = 32; code < 127; code++) expect(FONT_CHARACTERS).toContain(String.fromCharCode(code));
    for (const char of FONT_CHARACTERS) {
      const rows = glyphRows(char);
      expect([7, 8, 9], char).toContain(rows.length);
      expect(rows.every((r) => r >= 0 && r < 32), char).toBe(true);
    }
    expect(new Set(FONT_CHARACTERS.map((c) => glyphRows(c).join())).size).toBe(FONT_CHARACTERS.length); // no two alike
  });

  it('show each series in its colour, as the SVG chart lays it out', () => {
    const series = [
      { label: 'a', points: [[0, 1], [10, 3]] as const },
      { label: 'b', points: [[0, 3], [10, 1]] as const },
    ];
    const options = { title: 'T', xLabel: 'x', yLabel: 'y', width: 200, height: 150 };
    const png = decodePng(lineChartPng(series, options));
    expect([png.width, png.height]).toEqual([200, 150]);
    const drawing = chartDrawing(series, options);
    const canvas = rasterize(drawing);
    expect(Buffer.compare(png.rgb, canvas.pixels)).toBe(0);
    const curves = drawing.items.filter((i) => i.kind === 'polyline');
    curves.forEach((curve, i) => {
      const [x, y] = curve.points[1]!;
      expect(canvas.pixel(Math.round(x), Math.round(y))).toEqual([...parseColour(['#1f77b4', '#d62728'][i]!)]);
    });
  });

  it('put log-axis ticks on round values', () => {
    expect(logTicks(Math.log10(0.35), Math.log10(2.3)).map((t) => Number((10 ** t).toPrecision(3)))).toEqual([0.4, 0.5, 0.6, 0.8, 1, 1.5, 2]);
    expect(logTicks(-6, 0).map((t) => 10 ** t)).toHaveLength(7);
  });
});
