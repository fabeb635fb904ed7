import { ZhibingError } from '@zhibing/protocol';
import { SPECIAL_TOKENS, type PromptSegment } from './prompt-segments';

/** What encoding needs from a tokenizer (e.g. @huggingface/tokenizers' Tokenizer). */
export interface PromptTokenizer {
  /** Encodes text; may recognise control-token spellings (encodePrompt makes sure it cannot). */
  encode(text: string): number[];
  /** The id of a control token, or undefined if the model has none. */
  tokenToId(token: string): number | undefined;
  /**
   * Every special token the tokenizer knows (a model's own set: GLM-4 has `<|begin_of_image|>`,
   * `<think>`, `<tool_call>` …). Literal text is protected from all of them; without a list,
   * from the GLM family's SPECIAL_TOKENS.
   */
  specialTokens?: readonly string[];
}

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const splitters = new WeakMap<readonly string[], RegExp>();

/** One regex matching any protected spelling, longest first (so `<|user|>` wins over a prefix). */
function splitterFor(tokens: readonly string[]): RegExp {
  let found = splitters.get(tokens);
  if (!found) {
    const spellings = [...new Set([...tokens, ...SPECIAL_TOKENS])]
      .filter((t) => t.length > 0)
      .sort((a, b) => b.length - a.length);
    found = new RegExp(spellings.map(escape).join('|'), 'g');
    splitters.set(tokens, found);
  }
  return found;
}

/**
 * Encodes literal text so that no control token can come out of it: the text is cut at every
 * spelling of a special token of the tokenizer, and each spelling is itself encoded in two
 * pieces, so the tokenizer never sees a whole one. `[MASK]` typed by a user becomes the ids of
 * "[" and "MASK]"; `<think>` those of "<" and "think>".
 */
export function encodeLiteral(tokenizer: PromptTokenizer, value: string): number[] {
  const ids: number[] = [];
  const splitter = splitterFor(tokenizer.specialTokens ?? SPECIAL_TOKENS);
  let from = 0;
  for (const match of value.matchAll(splitter)) {
    if (match.index > from) ids.push(...tokenizer.encode(value.slice(from, match.index)));
    // A first character that is itself a special token (single-character specials) cannot be cut further.
    const spelling = match[0];
    const head = Array.from(spelling)[0];
    ids.push(
      ...tokenizer.encode(head),
      ...(spelling.length > head.length ? encodeLiteral(tokenizer, spelling.slice(head.length)) : []),
    );
    from = match.index + spelling.length;
  }
  if (from < value.length) ids.push(...tokenizer.encode(value.slice(from)));
  return ids;
}

/** Token ids of a prompt: text segments literally, control tokens by their ids. */
export function encodePrompt(tokenizer: PromptTokenizer, segments: readonly PromptSegment[]): number[] {
  const ids: number[] = [];
  for (const segment of segments) {
    if (segment.kind === 'text') {
      ids.push(...encodeLiteral(tokenizer, segment.text));
    } else {
      const id = tokenizer.tokenToId(segment.token);
      if (id === undefined) throw new PromptTokenError(segment.token);
      ids.push(id);
    }
  }
  return ids;
}

/** A template placed a control token the model's tokenizer does not have. */
export class PromptTokenError extends ZhibingError {
  constructor(readonly token: string) {
    super('prompt_token_unknown', `the model's tokenizer has no ${token} token`, { token });
    this.name = 'PromptTokenError';
  }
}
