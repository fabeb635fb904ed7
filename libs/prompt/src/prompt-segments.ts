/** Control tokens of the GLM family. Only templates emit them; user text never does. */
export const SPECIAL_TOKENS = [
  '[MASK]',
  '[sMASK]',
  '[gMASK]',
  '<sop>',
  '<eop>',
  '<|system|>',
  '<|user|>',
  '<|assistant|>',
  '<|observation|>',
  '<|endoftext|>',
] as const;
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
 * Control-token spellings of chat models that remote servers may run (GLM-4.x, ChatML, Llama 3,
 * reasoning and tool tags), beyond the GLM family's SPECIAL_TOKENS. A remote server renders its
 * own chat template and may tokenize the result with its specials recognised, so user text sent
 * to it is cleaned of all of these.
 */
export const REMOTE_CONTROL_SPELLINGS: readonly RegExp[] = [
  /<\|[A-Za-z_][\w.-]{0,40}\|>/g, // <|user|>, <|im_start|>, <|begin_of_image|>, <|eot_id|> …
  /\[[sg]?MASK\]/g,
  /<\/?(?:sop|eop|think|tool_call|tool_response|arg_key|arg_value|answer|s)>/g,
];

/**
 * Text for engines that take strings (remote servers): any control-token spelling inside user
 * text gets an invisible word joiner after its first character, so no tokenizer can read it as
 * the control token, while it still reads the same to a person.
 */
export function neutralizeSpecials(value: string, patterns: readonly RegExp[] = REMOTE_CONTROL_SPELLINGS): string {
  let out = value;
  for (const token of SPECIAL_TOKENS) out = out.split(token).join(`${token[0]}${WORD_JOINER}${token.slice(1)}`);
  for (const pattern of patterns) out = out.replace(pattern, (found) => `${found[0]}${WORD_JOINER}${found.slice(1)}`);
  return out;
}
