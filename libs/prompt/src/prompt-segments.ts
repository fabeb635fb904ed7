/** Control tokens of the GLM family. Only templates emit them; user text never does. */
export const SPECIAL_TOKENS = ['[MASK]', '[sMASK]', '[gMASK]', '<sop>', '<eop>', '<|system|>', '<|user|>', '<|assistant|>', '<|observation|>', '<|endoftext|>'] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

/** A prompt is a list of segments: literal text, or a control token placed by the template. */
export type PromptSegment = { kind: 'text'; text: string } | { kind: 'special'; token: SpecialToken };

export const text = (value: string): PromptSegment => ({ kind: 'text', text: value });
export const special = (token: SpecialToken): PromptSegment => ({ kind: 'special', token });

/** The prompt as one string (for counting and display); control tokens appear as written. */
export function segmentsToString(segments: PromptSegment[]): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : s.token)).join('');
}

const WORD_JOINER = '\u2060';

/**
 * Text for engines that take strings (remote servers): any control-token spelling inside user
 * text gets an invisible word joiner after its first character, so no tokenizer can read it as
 * the control token, while it still reads the same to a person.
 */
export function neutralizeSpecials(value: string): string {
  let out = value;
  for (const token of SPECIAL_TOKENS) out = out.split(token).join(`${token[0]}${WORD_JOINER}${token.slice(1)}`);
  return out;
}
