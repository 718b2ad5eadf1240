/**
 * An RGB pixel canvas with the few operations a line chart needs: filled and outlined
 * rectangles, thick straight lines (Bresenham, with a square pen) and text in the 5×7 bitmap
 * font, horizontal or turned a quarter anticlockwise.
 */
import { GLYPH_ADVANCE, GLYPH_ASCENT, glyphRows } from './bitmap-font.js';

/** `#rrggbb` → [r, g, b]. */
export function parseColour(colour: string): readonly [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!match) throw new Error(`not a #rrggbb colour: ${colour}`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

/** A white RGB canvas of `width` × `height` pixels. */
export class RasterCanvas {
  /** Row-major RGB bytes, white to start with. */
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height * 3).fill(255);
  }

  /** The colour at (x, y), for tests. */
  pixel(x: number, y: number): [number, number, number] {
    const i = (y * this.width + x) * 3;
    return [this.pixels[i]!, this.pixels[i + 1]!, this.pixels[i + 2]!];
  }

  set(x: number, y: number, rgb: readonly [number, number, number]): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 3;
    this.pixels[i] = rgb[0];
    this.pixels[i + 1] = rgb[1];
    this.pixels[i + 2] = rgb[2];
  }

  fillRect(x: number, y: number, w: number, h: number, colour: string): void {
    const rgb = parseColour(colour);
    for (let j = Math.round(y); j < Math.round(y + h); j++) for (let i = Math.round(x); i < Math.round(x + w); i++) this.set(i, j, rgb);
  }

  strokeRect(x: number, y: number, w: number, h: number, colour: string): void {
    this.line(x, y, x + w, y, colour, 1);
    this.line(x + w, y, x + w, y + h, colour, 1);
    this.line(x + w, y + h, x, y + h, colour, 1);
    this.line(x, y + h, x, y, colour, 1);
  }

  /** A straight line `width` pixels thick (rounded to whole pixels, at least 1). */
  line(x1: number, y1: number, x2: number, y2: number, colour: string, width: number): void {
    const rgb = parseColour(colour);
    const pen = Math.max(1, Math.round(width));
    const offset = Math.floor((pen - 1) / 2);
    let x = Math.round(x1);
    let y = Math.round(y1);
    const xEnd = Math.round(x2);
    const yEnd = Math.round(y2);
    const dx = Math.abs(xEnd - x);
    const dy = -Math.abs(yEnd - y);
    const sx = x < xEnd ? 1 : -1;
    const sy = y < yEnd ? 1 : -1;
    let error = dx + dy;
    for (;;) {
      for (let a = 0; a < pen; a++) for (let b = 0; b < pen; b++) this.set(x - offset + a, y - offset + b, rgb);
      if (x === xEnd && y === yEnd) return;
      const twice = 2 * error;
      if (twice >= dy) {
        error += dy;
        x += sx;
      }
      if (twice <= dx) {
        error += dx;
        y += sy;
      }
    }
  }

  /** Width of `text` in pixels at `scale`. */
  static textWidth(text: string, scale: number): number {
    return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
  }

  /**
   * Draw `text` with its baseline at `y` (or, `vertical`, turned anticlockwise with its baseline
   * at x = `x`), anchored at its start, middle or end.
   */
  text(x: number, y: number, text: string, colour: string, scale: number, anchor: 'start' | 'middle' | 'end', vertical = false): void {
    const rgb = parseColour(colour);
    const width = RasterCanvas.textWidth(text, scale);
    const start = anchor === 'start' ? 0 : anchor === 'middle' ? -width / 2 : -width;
    const put = (along: number, up: number) => (vertical ? this.set(x - up, y - along, rgb) : this.set(x + along, y - up, rgb));
    [...text].forEach((char, k) => {
      const rows = glyphRows(char);
      rows.forEach((bits, row) => {
        for (let column = 0; column < 5; column++) {
          if (!(bits & (16 >> column))) continue;
          for (let a = 0; a < scale; a++) {
            for (let b = 0; b < scale; b++) {
              put(Math.round(start + (k * GLYPH_ADVANCE + column) * scale + a), (GLYPH_ASCENT - row) * scale - b);
            }
          }
        }
      });
    });
  }
}
