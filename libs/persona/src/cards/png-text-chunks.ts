import { crc32, deflateSync } from 'node:zlib';
import { PersonaError } from '../persona.errors';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Chunk {
  type: string;
  data: Buffer;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(SIGNATURE);
}

/** The chunks of a PNG, each CRC-checked; a truncated or corrupt file is a typed error. */
function readChunks(bytes: Uint8Array): Chunk[] {
  if (!isPng(bytes)) throw new PersonaError('card_png_invalid', 'The file is not a PNG image');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunk[] = [];
  let at = 8;
  while (at < buf.length) {
    if (at + 12 > buf.length) throw new PersonaError('card_png_invalid', 'The PNG is truncated');
    const length = buf.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > buf.length) throw new PersonaError('card_png_invalid', 'The PNG is truncated');
    const typeAndData = buf.subarray(at + 4, at + 8 + length);
    if (crc32(typeAndData) !== buf.readUInt32BE(at + 8 + length))
      throw new PersonaError('card_png_invalid', `The PNG chunk at byte ${at} has a bad CRC`);
    const type = typeAndData.subarray(0, 4).toString('latin1');
    chunks.push({ type, data: Buffer.from(typeAndData.subarray(4)) });
    at = end;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND')
    throw new PersonaError('card_png_invalid', 'The PNG has no IHDR or IEND chunk');
  return chunks;
}

const isTextChunk = (c: Chunk) => c.type === 'tEXt' || c.type === 'iTXt';
/** A text chunk's keyword: the Latin-1 bytes before its first NUL ('' when it has none). */
const keywordOf = (c: Chunk) => c.data.subarray(0, Math.max(0, c.data.indexOf(0))).toString('latin1');

function encodeChunk({ type, data }: Chunk): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Keyword → text of the PNG's uncompressed text chunks (tEXt, and iTXt without compression). */
export function readPngText(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const { type, data } of readChunks(bytes)) {
    const nul = data.indexOf(0);
    if (nul < 1) continue;
    const keyword = data.subarray(0, nul).toString('latin1');
    if (type === 'tEXt') out.set(keyword, data.subarray(nul + 1).toString('latin1'));
    if (type === 'iTXt' && data[nul + 1] === 0) {
      // iTXt: keyword \0 compression-flag method language \0 translated \0 text (UTF-8).
      const lang = data.indexOf(0, nul + 3);
      const translated = lang < 0 ? -1 : data.indexOf(0, lang + 1);
      if (translated >= 0) out.set(keyword, data.subarray(translated + 1).toString('utf8'));
    }
  }
  return out;
}

/**
 * The PNG with `texts` as tEXt chunks before IEND, replacing any text chunk with the same keyword
 * (a re-exported card carries one `chara` and one `ccv3`, not one per export). Values must be Latin-1
 * (the cards are base64).
 */
export function writePngText(bytes: Uint8Array, texts: Record<string, string>): Buffer {
  const keywords = new Set(Object.keys(texts));
  const kept = readChunks(bytes).filter((c) => !(isTextChunk(c) && keywords.has(keywordOf(c))));
  const added = Object.entries(texts).map(([keyword, text]) => ({
    type: 'tEXt',
    data: Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')]),
  }));
  return Buffer.concat([SIGNATURE, ...[...kept.slice(0, -1), ...added, kept.at(-1)!].map(encodeChunk)]);
}

/** The PNG without the text chunks named (a card image stored as an avatar drops its card). */
export function stripPngText(bytes: Uint8Array, keywords: string[]): Buffer {
  const drop = new Set(keywords);
  const kept = readChunks(bytes).filter((c) => !(isTextChunk(c) && drop.has(keywordOf(c))));
  return Buffer.concat([SIGNATURE, ...kept.map(encodeChunk)]);
}

/** A plain square RGB PNG of one colour (the card image of a persona without an avatar). */
export function plainPng(size: number, rgb: [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    SIGNATURE,
    encodeChunk({ type: 'IHDR', data: ihdr }),
    encodeChunk({ type: 'IDAT', data: deflateSync(raw) }),
    encodeChunk({ type: 'IEND', data: Buffer.alloc(0) }),
  ]);
}
