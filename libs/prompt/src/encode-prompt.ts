import { SPECIAL_TOKENS, type PromptSegment } from './prompt-segments';

/** What encoding needs from a tokenizer (e.g. @huggingface/tokenizers' Tokenizer). */
export interface PromptTokenizer {
  /** Encodes text; may recognise control-token spellings (encodePrompt makes sure it cannot). */
  encode(text: string): number[];
  /** The id of a control token, or undefined if the model has none. */
  tokenToId(token: string): number | undefined;
}

/**
 * Encodes literal text so that no control token can come out of it: the text is cut at every
 * spelling of a control token, and each spelling is itself encoded in two pieces, so the
 * tokenizer never sees a whole one. `[MASK]` typed by a user becomes the ids of "[" and "MASK]".
 */
export function encodeLiteral(tokenizer: PromptTokenizer, value: string): number[] {
  const ids: number[] = [];
  let rest = value;
  while (rest.length > 0) {
    let cut = -1;
    let found = '';
    for (const token of SPECIAL_TOKENS) {
      const at = rest.indexOf(token);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
        found = token;
      }
    }
    if (cut < 0) {
      ids.push(...tokenizer.encode(rest));
      break;
    }
    if (cut > 0) ids.push(...tokenizer.encode(rest.slice(0, cut)));
    ids.push(...tokenizer.encode(found[0]), ...tokenizer.encode(found.slice(1)));
    rest = rest.slice(cut + found.length);
  }
  return ids;
}

/** Token ids of a prompt: text segments literally, control tokens by their ids. */
export function encodePrompt(tokenizer: PromptTokenizer, segments: PromptSegment[]): number[] {
  const ids: number[] = [];
  for (const segment of segments) {
    if (segment.kind === 'text') {
      ids.push(...encodeLiteral(tokenizer, segment.text));
    } else {
      const id = tokenizer.tokenToId(segment.token);
      if (id === undefined) throw new Error(`the model's tokenizer has no ${segment.token} token`);
      ids.push(id);
    }
  }
  return ids;
}
