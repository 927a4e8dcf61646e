// Reads event files back: scalars (simple values or scalar tensors), histograms and images,
// whichever writer produced them (strata's, or TensorFlow's and TensorBoard's).
import { SerializationError } from '../../engine/errors.js';
import { asDouble, asDoubles, asFloat, readFields, type ProtoField } from './protobuf.js';
import { readRecords } from './record.js';
import type { Histogram } from './histogram.js';

/** One summary value read back. */
export interface ReadValue {
  /** The value's tag. */
  tag: string;
  /** The step of the event holding it. */
  step: number;
  /** The event's wall time, in seconds since the Unix epoch (0 if absent). */
  wallTime: number;
  /** A scalar (simple_value, or a one-element float/double tensor). */
  scalar?: number;
  /** A histogram, if the value holds one. */
  histogram?: Histogram;
  /** An image, if the value holds one. */
  image?: {
    /** Width in pixels. */
    width: number;
    /** Height in pixels. */
    height: number;
    /** Colour channels. */
    channels: number;
    /** The encoded image bytes (PNG). */
    png: Uint8Array;
  };
  /** The plugin named in the value's metadata, if any. */
  plugin?: string;
}

/** The events of a file: the version string, and every summary value. */
export interface ReadEvents {
  /** The file-version string (`brain.Event:2`), if the file has one. */
  fileVersion?: string;
  /** Every summary value, in file order. */
  values: ReadValue[];
}

const text = new TextDecoder();
const first = (fs: ProtoField[], n: number) => fs.find((f) => f.field === n);

function tensorScalar(t: Uint8Array): number | undefined {
  const fs = readFields(t);
  const dtype = Number(first(fs, 1)?.varint ?? 0n);
  const content = first(fs, 4)?.bytes;
  if (dtype === 1) {
    const fv = fs.filter((f) => f.field === 5);
    if (fv.length === 1 && fv[0]!.wire === 5) return asFloat(fv[0]!);
    if (fv.length === 1 && fv[0]!.wire === 2 && fv[0]!.bytes!.length === 4) return new DataView(fv[0]!.bytes!.buffer, fv[0]!.bytes!.byteOffset, 4).getFloat32(0, true);
    if (content && content.length === 4) return new DataView(content.buffer, content.byteOffset, 4).getFloat32(0, true);
  }
  if (dtype === 2) {
    const dv = fs.find((f) => f.field === 6);
    if (dv) return asDoubles(dv)[0];
    if (content && content.length === 8) return new DataView(content.buffer, content.byteOffset, 8).getFloat64(0, true);
  }
  return undefined;
}

function histogram(b: Uint8Array): Histogram {
  const fs = readFields(b);
  const d = (n: number) => { const f = first(fs, n); return f ? asDouble(f) : 0; };
  const all = (n: number) => fs.filter((f) => f.field === n).flatMap(asDoubles);
  return { min: d(1), max: d(2), num: d(3), sum: d(4), sumSquares: d(5), bucketLimit: all(6), bucket: all(7) };
}

/** Decodes every event of a TFRecord event file. */
export function readEventFile(bytes: Uint8Array): ReadEvents {
  const out: ReadEvents = { values: [] };
  for (const rec of readRecords(bytes)) {
    const fs = readFields(rec);
    const wallTime = first(fs, 1) ? asDouble(first(fs, 1)!) : 0;
    const step = Number(first(fs, 2)?.varint ?? 0n);
    const version = first(fs, 3);
    if (version) out.fileVersion = text.decode(version.bytes);
    const summary = first(fs, 5);
    if (!summary) continue;
    for (const vf of readFields(summary.bytes!).filter((f) => f.field === 1)) {
      const v = readFields(vf.bytes!);
      const tagField = first(v, 1);
      if (!tagField) throw new SerializationError('event file: a summary value has no tag');
      const value: ReadValue = { tag: text.decode(tagField.bytes), step, wallTime };
      const meta = first(v, 9);
      if (meta) {
        const pd = first(readFields(meta.bytes!), 1);
        const name = pd && first(readFields(pd.bytes!), 1);
        if (name) value.plugin = text.decode(name.bytes);
      }
      const simple = first(v, 2);
      if (simple) value.scalar = asFloat(simple);
      const tensor = first(v, 8);
      if (tensor && value.scalar === undefined && value.plugin !== 'hparams') {
        const s = tensorScalar(tensor.bytes!);
        if (s !== undefined) value.scalar = s;
      }
      const histo = first(v, 5);
      if (histo) value.histogram = histogram(histo.bytes!);
      const img = first(v, 4);
      if (img) {
        const f = readFields(img.bytes!);
        value.image = {
          height: Number(first(f, 1)?.varint ?? 0n), width: Number(first(f, 2)?.varint ?? 0n),
          channels: Number(first(f, 3)?.varint ?? 0n), png: first(f, 4)?.bytes ?? new Uint8Array(0),
        };
      }
      out.values.push(value);
    }
  }
  return out;
}
