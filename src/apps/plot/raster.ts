import { ValueError } from '../../engine/errors.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph, textWidth } from './font.js';

/** An RGBA colour, each channel 0–255 (alpha 255 = opaque). */
export type Rgba = readonly [number, number, number, number];

/** Width/height limit of one picture, so a typo cannot allocate gigabytes. */
const MAX_SIDE = 16384;

/**
 * A picture in memory: `width × height` RGBA pixels, row-major. The plot functions draw
 * into one; Node writes it as PNG (`st.plot.writePng`), a browser puts `toImageData()` on
 * a canvas.
 */
export class Raster {
  /** RGBA bytes, `4 · width · height`. */
  readonly data: Uint8ClampedArray;

  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;

  /**
   * @param width - width in pixels, 1–16384
   * @param height - height in pixels, 1–16384
   * @param background - colour every pixel starts as; default opaque white
   */
  constructor(width: number, height: number, background: Rgba = [255, 255, 255, 255]) {
    for (const [name, v] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > MAX_SIDE) throw new ValueError(`Raster: '${name}' must be an integer in [1, ${MAX_SIDE}]; got ${v}`);
    }
    this.width = width;
    this.height = height;
    this.data = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) this.data.set(background, i * 4);
  }

  /** Paints one pixel, blending by the colour's alpha; pixels outside are ignored. */
  set(x: number, y: number, c: Rgba): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const o = (yi * this.width + xi) * 4;
    const a = c[3] / 255;
    if (a >= 1) {
      this.data[o] = c[0];
      this.data[o + 1] = c[1];
      this.data[o + 2] = c[2];
      this.data[o + 3] = 255;
      return;
    }
    for (let k = 0; k < 3; k++) this.data[o + k] = this.data[o + k]! * (1 - a) + c[k]! * a;
    this.data[o + 3] = Math.max(this.data[o + 3]!, c[3]);
  }

  /** The colour at a pixel. */
  get(x: number, y: number): Rgba {
    const o = (y * this.width + x) * 4;
    return [this.data[o]!, this.data[o + 1]!, this.data[o + 2]!, this.data[o + 3]!];
  }

  /** Fills a rectangle. */
  fillRect(x: number, y: number, w: number, h: number, c: Rgba): void {
    for (let j = Math.max(0, Math.floor(y)); j < Math.min(this.height, Math.floor(y + h)); j++) {
      for (let i = Math.max(0, Math.floor(x)); i < Math.min(this.width, Math.floor(x + w)); i++) this.set(i, j, c);
    }
  }

  /** Draws a straight line `thickness` pixels wide (Bresenham, stamped with squares). */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgba, thickness = 1): void {
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xe = Math.round(x1);
    const ye = Math.round(y1);
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    let err = dx + dy;
    const r = Math.floor((thickness - 1) / 2);
    for (;;) {
      if (thickness <= 1) this.set(x, y, c);
      else this.fillRect(x - r, y - r, thickness, thickness, c);
      if (x === xe && y === ye) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** Writes `text` with its top-left corner at (x, y), each font pixel `scale` pixels wide. */
  text(x: number, y: number, text: string, c: Rgba, scale = 2): void {
    [...text].forEach((ch, i) => {
      const ox = x + i * (GLYPH_WIDTH + 1) * scale;
      for (const [col, row] of glyph(ch)) this.fillRect(ox + col * scale, y + row * scale, scale, scale, c);
    });
  }

  /** Writes `text` centred on x. */
  textCentered(x: number, y: number, text: string, c: Rgba, scale = 2): void {
    this.text(Math.round(x - textWidth(text, scale) / 2), y, text, c, scale);
  }

  /** Copies another picture in with its top-left corner at (x, y). */
  blit(src: Raster, x: number, y: number): void {
    for (let j = 0; j < src.height; j++) for (let i = 0; i < src.width; i++) this.set(x + i, y + j, src.get(i, j));
  }

  /** The pixels as a DOM-compatible `ImageData` init (`new ImageData(r.data, r.width)` in a browser). */
  toImageData(): RasterImageData {
    return { data: this.data, width: this.width, height: this.height };
  }
}

/** The shape of a DOM `ImageData`: RGBA bytes and the picture's size. */
export interface RasterImageData {
  /** RGBA bytes, row-major. */
  data: Uint8ClampedArray;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** Height in pixels of one line of text at `scale`. */
export function lineHeight(scale: number): number {
  return GLYPH_HEIGHT * scale;
}
