import * as fs from 'node:fs';

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface SafetensorsTensor {
  data: Float32Array;
  dims: number[];
}

/** IEEE half precision → float32. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function toFloat32(dtype: string, bytes: Buffer, file: string, name: string): Float32Array {
  switch (dtype) {
    case 'F32':
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    case 'F16': {
      const out = new Float32Array(bytes.byteLength / 2);
      for (let i = 0; i < out.length; i++) out[i] = halfToFloat(bytes.readUInt16LE(i * 2));
      return out;
    }
    case 'BF16': {
      // bfloat16 is the upper half of a float32.
      const out = new Float32Array(bytes.byteLength / 2);
      const view = new Uint32Array(out.buffer);
      for (let i = 0; i < out.length; i++) view[i] = bytes.readUInt16LE(i * 2) << 16;
      return out;
    }
    default:
      throw new Error(`${file}: tensor ${name} has dtype ${dtype}; supported: F32, F16, BF16`);
  }
}

/**
 * Reads a .safetensors file (8-byte little-endian header length, JSON header, raw data) into
 * float32 tensors by name. Errors name the file and the tensor.
 */
export function readSafetensors(file: string): Map<string, SafetensorsTensor> {
  const buffer = fs.readFileSync(file);
  if (buffer.length < 8) throw new Error(`${file}: too short to be a safetensors file`);
  const headerLength = Number(buffer.readBigUInt64LE(0));
  if (8 + headerLength > buffer.length) throw new Error(`${file}: header length ${headerLength} runs past the end of the file`);
  let header: Record<string, HeaderEntry | Record<string, string>>;
  try {
    header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString('utf8'));
  } catch {
    throw new Error(`${file}: the header is not valid JSON`);
  }
  const data = buffer.subarray(8 + headerLength);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: [begin, end] } = entry as HeaderEntry;
    if (end > data.length || begin > end) throw new Error(`${file}: tensor ${name} has offsets [${begin}, ${end}] outside the data`);
    tensors.set(name, { data: toFloat32(dtype, data.subarray(begin, end), file, name), dims: shape });
  }
  return tensors;
}

/** Writes float32 tensors as a .safetensors file (used by tests and to export seeded weights). */
export function writeSafetensors(file: string, tensors: Map<string, SafetensorsTensor>): void {
  const header: Record<string, HeaderEntry> = {};
  let offset = 0;
  for (const [name, tensor] of tensors) {
    header[name] = { dtype: 'F32', shape: tensor.dims, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // keep data 8-byte aligned
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  fs.writeFileSync(file, Buffer.concat([length, Buffer.from(json), ...[...tensors.values()].map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))]));
}
