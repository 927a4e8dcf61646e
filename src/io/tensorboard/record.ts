// TFRecord framing: uint64 length, masked CRC-32C of the length, the data, masked CRC-32C of the data.
import { SerializationError } from '../../engine/errors.js';
import { maskedCrc32c } from './crc32c.js';

/** One record, framed. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(data.length), true);
  dv.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  dv.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** The records of a TFRecord file, checking both CRCs of each. */
export function readRecords(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  while (o < bytes.length) {
    if (o + 12 > bytes.length) throw new SerializationError(`TFRecord: truncated header at byte ${o}`);
    const n = Number(dv.getBigUint64(o, true));
    if (dv.getUint32(o + 8, true) !== maskedCrc32c(bytes.subarray(o, o + 8))) throw new SerializationError(`TFRecord: bad length CRC at byte ${o}`);
    if (o + 16 + n > bytes.length) throw new SerializationError(`TFRecord: record at byte ${o} needs ${n} bytes; the file ends first`);
    const data = bytes.subarray(o + 12, o + 12 + n);
    if (dv.getUint32(o + 12 + n, true) !== maskedCrc32c(data)) throw new SerializationError(`TFRecord: bad data CRC in the record at byte ${o}`);
    out.push(data);
    o += 16 + n;
  }
  return out;
}
