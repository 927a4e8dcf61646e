// The few protocol-buffer wire forms TensorBoard's messages need: varints, 64-bit and
// 32-bit fixed numbers, and length-delimited fields (bytes, strings, sub-messages).

const utf8 = new TextEncoder();

/** Builds one message; fields are appended in the order written. */
export class ProtoWriter {
  private readonly parts: number[] = [];
  private readonly chunks: Uint8Array[] = [];

  private flushParts(): void {
    if (this.parts.length) {
      this.chunks.push(Uint8Array.from(this.parts));
      this.parts.length = 0;
    }
  }

  private varint(v: number | bigint): void {
    let n = BigInt.asUintN(64, BigInt(v));
    while (n >= 0x80n) {
      this.parts.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.parts.push(Number(n));
  }

  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** int32/int64/uint/bool/enum field. */
  uint(field: number, v: number | bigint | boolean): this {
    this.key(field, 0);
    this.varint(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return this;
  }

  /** double field (8 bytes, little-endian). */
  double(field: number, v: number): this {
    this.key(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.parts.push(...b);
    return this;
  }

  /** float field (4 bytes, little-endian). */
  float(field: number, v: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.parts.push(...b);
    return this;
  }

  /** bytes / embedded message field. */
  bytes(field: number, v: Uint8Array): this {
    this.key(field, 2);
    this.varint(v.length);
    this.flushParts();
    this.chunks.push(v);
    return this;
  }

  /** string field (UTF-8). */
  string(field: number, v: string): this {
    return this.bytes(field, utf8.encode(v));
  }

  /** Embedded message field. */
  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  /** Packed repeated doubles. */
  packedDoubles(field: number, vs: readonly number[]): this {
    const b = new Uint8Array(8 * vs.length);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat64(8 * i, v, true));
    return this.bytes(field, b);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flushParts();
    const n = this.chunks.reduce((s, c) => s + c.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** One decoded field: a number (varint), a double/float, or raw bytes (length-delimited). */
export interface ProtoField {
  field: number;
  wire: 0 | 1 | 2 | 5;
  /** varint as bigint; fixed64 / fixed32 as raw little-endian bytes in `bytes`. */
  varint?: bigint;
  bytes?: Uint8Array;
}

/** Splits a message into its fields (for reading event files back). */
export function readFields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (i >= buf.length) throw new RangeError('protobuf: truncated varint');
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = (key & 7) as ProtoField['wire'];
    if (wire === 0) out.push({ field, wire, varint: varint() });
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (i + n > buf.length) throw new RangeError('protobuf: truncated fixed field');
      out.push({ field, wire, bytes: buf.subarray(i, i + n) });
      i += n;
    } else if (wire === 2) {
      const n = Number(varint());
      if (i + n > buf.length) throw new RangeError('protobuf: truncated length-delimited field');
      out.push({ field, wire, bytes: buf.subarray(i, i + n) });
      i += n;
    } else throw new RangeError(`protobuf: unsupported wire type ${wire as number}`);
  }
  return out;
}

/** A fixed64 field as a double. */
export function asDouble(f: ProtoField): number {
  return new DataView(f.bytes!.buffer, f.bytes!.byteOffset, 8).getFloat64(0, true);
}

/** A fixed32 field as a float. */
export function asFloat(f: ProtoField): number {
  return new DataView(f.bytes!.buffer, f.bytes!.byteOffset, 4).getFloat32(0, true);
}

/** Packed doubles (or a single unpacked double). */
export function asDoubles(f: ProtoField): number[] {
  if (f.wire === 1) return [asDouble(f)];
  const b = f.bytes!;
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  return Array.from({ length: b.length / 8 }, (_, k) => dv.getFloat64(8 * k, true));
}
