import { PersonaError } from '../persona.errors';
import type { Persona } from '../persona.schema';
import { isPng, plainPng, readPngText, stripPngText, writePngText } from './png-text-chunks';
import { type LoreEntry, personaToCard, personaToCardV3 } from './persona-to-card';

const CARD_CHUNKS = ['ccv3', 'chara'];

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PersonaError('card_json_invalid', `${where} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The card in an uploaded file: a PNG's `ccv3` chunk (preferred, as the V3 spec says) or its
 * `chara` chunk, base64 JSON either way; or the file itself as JSON. A PNG card's image comes back
 * too (without its card chunks), to become the persona's avatar.
 */
export function cardFromFile(bytes: Uint8Array): { card: unknown; image?: Buffer } {
  if (isPng(bytes)) {
    const texts = readPngText(bytes);
    const keyword = CARD_CHUNKS.find((k) => texts.has(k));
    if (!keyword)
      throw new PersonaError('card_chunk_invalid', 'The PNG has no character card (no "ccv3" or "chara" text chunk)');
    const json = Buffer.from(texts.get(keyword)!, 'base64').toString('utf8');
    return { card: parseJson(json, `The PNG's "${keyword}" chunk`), image: stripPngText(bytes, CARD_CHUNKS) };
  }
  const text = Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (!/^\s*[{[]/.test(text)) throw new PersonaError('card_png_invalid', 'The file is neither a PNG card nor JSON');
  return { card: parseJson(text, 'The file') };
}

/**
 * A PNG card of the persona: its avatar (when it is a PNG) or a plain generated image, carrying
 * the card as V2 (`chara`) and V3 (`ccv3`) chunks, so both older and newer tools read it.
 */
export function cardPng(persona: Persona, lore: LoreEntry[], avatar?: { bytes: Uint8Array; mediaType: string }) {
  const image = avatar && avatar.mediaType === 'image/png' ? avatar.bytes : plainPng(256, [0xe8, 0xee, 0xfb]);
  const b64 = (card: unknown) => Buffer.from(JSON.stringify(card), 'utf8').toString('base64');
  return writePngText(image, { chara: b64(personaToCard(persona, lore)), ccv3: b64(personaToCardV3(persona, lore)) });
}
