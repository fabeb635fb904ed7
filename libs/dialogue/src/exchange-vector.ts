import { endianness } from 'node:os';

/** Vectors are stored as little-endian float32 bytes (bytea): 4 bytes a dimension, no parsing on load. */
const nativeLittleEndian = endianness() === 'LE';

export function encodeVector(vector: Float32Array): Buffer {
  if (nativeLittleEndian) return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes;
}

/** The vector in `bytes`, or undefined when they cannot be one (a length that is not whole floats). */
export function decodeVector(bytes: Uint8Array): Float32Array | undefined {
  if (bytes.byteLength % 4 !== 0) return undefined;
  // Copied: the driver's buffer may not be 4-byte aligned, and it is not ours to keep.
  const copy = new Uint8Array(bytes);
  if (nativeLittleEndian) return new Float32Array(copy.buffer);
  const view = new DataView(copy.buffer);
  return Float32Array.from({ length: copy.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
