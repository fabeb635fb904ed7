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

/** Where one tensor lies in a .safetensors file: its bytes are [begin, end) of the file. */
export interface SafetensorsEntry {
  file: string;
  name: string;
  dtype: string;
  dims: number[];
  begin: number;
  end: number;
}

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };
// One read call moves at most this much (fs.readSync refuses more than 2 GiB at once).
const READ_CHUNK = 1 << 30;

/** IEEE half precision → float32. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

// Every half's float32 value (256 KB): a table lookup per element converts F16 shards quickly.
let halfTable: Float32Array | undefined;
/** float32 values of the 65,536 float16 bit patterns. */
export const halves = (): Float32Array =>
  (halfTable ??= Float32Array.from({ length: 0x10000 }, (_, bits) => halfToFloat(bits)));

/** The bytes as 16-bit words (little-endian, as safetensors and this machine store them). */
function words(bytes: Buffer): Uint16Array {
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : Buffer.from(bytes);
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
}

function toFloat32(dtype: string, bytes: Buffer): Float32Array {
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(bytes.byteLength / 4);
      new Uint8Array(out.buffer).set(bytes);
      return out;
    }
    case 'F16': {
      const table = halves();
      const input = words(bytes);
      const out = new Float32Array(input.length);
      for (let i = 0; i < out.length; i++) out[i] = table[input[i]];
      return out;
    }
    default: {
      // BF16 is the upper half of a float32.
      const input = words(bytes);
      const out = new Float32Array(input.length);
      const view = new Uint32Array(out.buffer);
      for (let i = 0; i < out.length; i++) view[i] = input[i] << 16;
      return out;
    }
  }
}

function readExactly(fd: number, target: Buffer, position: number, file: string): void {
  for (let done = 0; done < target.length;) {
    const read = fs.readSync(fd, target, done, Math.min(READ_CHUNK, target.length - done), position + done);
    if (read === 0) throw new Error(`${file}: ends before byte ${position + target.length}`);
    done += read;
  }
}

/**
 * The tensors of a .safetensors file (8-byte little-endian header length, JSON header, raw data),
 * read from the header alone: no tensor data is touched, so a shard of any size opens at once.
 * Errors name the file and the tensor.
 */
export function indexSafetensors(file: string): Map<string, SafetensorsEntry> {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size < 8) throw new Error(`${file}: too short to be a safetensors file`);
    const lengthBytes = Buffer.alloc(8);
    readExactly(fd, lengthBytes, 0, file);
    const headerLength = Number(lengthBytes.readBigUInt64LE(0));
    if (8 + headerLength > size) {
      throw new Error(`${file}: header length ${headerLength} runs past the end of the file`);
    }
    const headerBytes = Buffer.alloc(headerLength);
    readExactly(fd, headerBytes, 8, file);
    let header: Record<string, HeaderEntry | Record<string, string>>;
    try {
      header = JSON.parse(headerBytes.toString('utf8'));
    } catch {
      throw new Error(`${file}: the header is not valid JSON`);
    }
    const entries = new Map<string, SafetensorsEntry>();
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const {
        dtype,
        shape,
        data_offsets: [begin, end],
      } = raw as HeaderEntry;
      const fail = (problem: string) => new Error(`${file}: tensor ${name} ${problem}`);
      if (!(dtype in DTYPE_BYTES)) throw fail(`has dtype ${dtype}; supported: F32, F16, BF16`);
      const count = shape.reduce((a, b) => a * b, 1);
      const bytes = end - begin;
      if (bytes !== count * DTYPE_BYTES[dtype]) throw fail(`has ${bytes} bytes for shape [${shape}] ${dtype}`);
      const at = 8 + headerLength;
      if (at + end > size || begin > end) throw fail(`has offsets [${begin}, ${end}] outside the data`);
      entries.set(name, { file, name, dtype, dims: shape, begin: at + begin, end: at + end });
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads one tensor at its offsets (only its own bytes) as float32. */
export function readSafetensorsEntry(entry: SafetensorsEntry): SafetensorsTensor {
  const fd = fs.openSync(entry.file, 'r');
  try {
    const bytes = Buffer.allocUnsafe(entry.end - entry.begin);
    readExactly(fd, bytes, entry.begin, entry.file);
    return { data: toFloat32(entry.dtype, bytes), dims: entry.dims };
  } finally {
    fs.closeSync(fd);
  }
}

/** A tensor's values as stored: float32, or the 16-bit words of F16 / BF16 (half float32's memory). */
export interface StoredValues {
  dtype: 'F32' | 'F16' | 'BF16';
  data: Float32Array | Uint16Array;
}

/** Reads one tensor at its offsets without converting it (for a reader that converts piece by piece). */
export function readSafetensorsStored(entry: SafetensorsEntry): StoredValues {
  const fd = fs.openSync(entry.file, 'r');
  try {
    const bytes = Buffer.allocUnsafe(entry.end - entry.begin);
    readExactly(fd, bytes, entry.begin, entry.file);
    const dtype = entry.dtype as StoredValues['dtype'];
    if (dtype !== 'F32') return { dtype, data: words(bytes) };
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
    return { dtype, data: new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads every tensor of a (small) .safetensors file into float32 tensors by name. */
export function readSafetensors(file: string): Map<string, SafetensorsTensor> {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, entry] of indexSafetensors(file)) tensors.set(name, readSafetensorsEntry(entry));
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
  const blobs = [...tensors.values()].map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  fs.writeFileSync(file, Buffer.concat([length, Buffer.from(json), ...blobs]));
}
