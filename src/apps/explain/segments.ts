import { ShapeError, ValueError } from '../../engine/errors.js';

/** A segmentation of an `h × w` image: a segment id per pixel, ids `0..count-1`. */
export interface Segmentation {
  /** Segment id of each pixel, row-major `h × w`. */
  labels: Int32Array;
  /** Number of segments. */
  count: number;
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
}

/** Options of {@link slic}. */
export interface SlicOptions {
  /** About how many superpixels to make. Default 50. */
  nSegments?: number;
  /** Weight of spatial distance against colour distance; higher gives squarer segments. Default 10 (for values in [0, 255]; scaled for [0, 1] images). */
  compactness?: number;
  /** k-means iterations. Default 10. */
  iterations?: number;
}

/**
 * SLIC superpixels (Achanta et al. 2012): k-means on (colour, position) with seeds on a
 * regular grid, each pixel compared with the seeds of its neighbourhood only. `image` is
 * `h × w × c` values, row-major. Segments are renumbered `0..count-1`; tiny disconnected
 * leftovers are kept as they fall (explanations only need a partition).
 */
export function slic(image: ArrayLike<number>, height: number, width: number, channels: number, opts: SlicOptions = {}): Segmentation {
  if (image.length !== height * width * channels) {
    throw new ShapeError(`slic: image has ${image.length} values, expected ${height}×${width}×${channels}`);
  }
  const k = opts.nSegments ?? 50;
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`slic: 'nSegments' must be a positive integer; got ${String(opts.nSegments)}`);
  const iterations = opts.iterations ?? 10;
  let maxV = 0;
  for (let i = 0; i < image.length; i++) maxV = Math.max(maxV, Math.abs(image[i]!));
  const scale = maxV <= 1 ? 255 : 1;
  const step = Math.max(1, Math.sqrt((height * width) / k));
  const m = (opts.compactness ?? 10) / step;
  const centers: number[][] = [];
  for (let y = step / 2; y < height; y += step) {
    for (let x = step / 2; x < width; x += step) {
      const py = Math.floor(y);
      const px = Math.floor(x);
      const c = Array.from({ length: channels }, (_, ch) => image[(py * width + px) * channels + ch]! * scale);
      centers.push([py, px, ...c]);
    }
  }
  const labels = new Int32Array(height * width);
  const dist = new Float64Array(height * width);
  const reach = Math.ceil(2 * step);
  for (let it = 0; it < iterations; it++) {
    dist.fill(Infinity);
    centers.forEach((c, ci) => {
      const y0 = Math.max(0, Math.floor(c[0]! - reach));
      const y1 = Math.min(height, Math.ceil(c[0]! + reach));
      const x0 = Math.max(0, Math.floor(c[1]! - reach));
      const x1 = Math.min(width, Math.ceil(c[1]! + reach));
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const p = y * width + x;
          let dc = 0;
          for (let ch = 0; ch < channels; ch++) dc += (image[p * channels + ch]! * scale - c[2 + ch]!) ** 2;
          const ds = (y - c[0]!) ** 2 + (x - c[1]!) ** 2;
          const dd = dc + m * m * ds;
          if (dd < dist[p]!) {
            dist[p] = dd;
            labels[p] = ci;
          }
        }
      }
    });
    const sums = centers.map(() => new Array<number>(2 + channels + 1).fill(0));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        const s = sums[labels[p]!]!;
        s[0]! += y;
        s[1]! += x;
        for (let ch = 0; ch < channels; ch++) s[2 + ch]! += image[p * channels + ch]! * scale;
        s[2 + channels]! += 1;
      }
    }
    sums.forEach((s, ci) => {
      const n = s[2 + channels]!;
      if (n > 0) centers[ci] = s.slice(0, 2 + channels).map((v) => v / n);
    });
  }
  return renumber(labels, height, width);
}

/** A regular grid of `cell × cell` squares: the simplest segmentation, e.g. for MNIST digits. */
export function gridSegments(height: number, width: number, cell: number): Segmentation {
  if (!Number.isInteger(cell) || cell < 1) throw new ValueError(`gridSegments: 'cell' must be a positive integer; got ${cell}`);
  const cols = Math.ceil(width / cell);
  const labels = new Int32Array(height * width);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) labels[y * width + x] = Math.floor(y / cell) * cols + Math.floor(x / cell);
  return renumber(labels, height, width);
}

function renumber(labels: Int32Array, height: number, width: number): Segmentation {
  const map = new Map<number, number>();
  const out = new Int32Array(labels.length);
  labels.forEach((l, i) => {
    if (!map.has(l)) map.set(l, map.size);
    out[i] = map.get(l)!;
  });
  return { labels: out, count: map.size, height, width };
}

/** Expands per-pixel segment ids to per-value group ids for an `h × w × c` input (all channels of a pixel in one group). */
export function pixelGroups(seg: Segmentation, channels: number): Int32Array {
  const out = new Int32Array(seg.labels.length * channels);
  seg.labels.forEach((l, p) => out.fill(l, p * channels, (p + 1) * channels));
  return out;
}
