import * as fs from 'node:fs';
import * as path from 'node:path';
import { byteLevelTokenizerJson, GLM_SPECIAL_TOKENS } from '@zhibing/kernels';

/**
 * GLM-4's special tokens: the GLM family's ten first (so their ids, 256–265, fit the seeded tiny
 * models' vocabulary), then those GLM-4.x added. Ids past the tiny vocabulary would crash the
 * graph: a test that runs a model proves by finishing that no user text became one of them.
 */
export const GLM4_SPECIAL_TOKENS = [
  ...GLM_SPECIAL_TOKENS,
  '<|begin_of_image|>',
  '<|end_of_image|>',
  '<|begin_of_video|>',
  '<|end_of_video|>',
  '<think>',
  '</think>',
  '<tool_call>',
  '</tool_call>',
  '<tool_response>',
  '</tool_response>',
];

/** GLM-4's chat template, as in its tokenizer_config.json (tools left out). */
export const GLM4_CHAT_TEMPLATE =
  "[gMASK]<sop>{% for item in messages %}{% if item['role'] == 'system' %}<|system|>\n{{ item['content'] }}" +
  "{% elif item['role'] == 'user' %}<|user|>\n{{ item['content'] }}" +
  "{% elif item['role'] == 'assistant' %}<|assistant|>\n{{ item['content'] }}{% endif %}{% endfor %}" +
  '{% if add_generation_prompt %}<|assistant|>\n{% endif %}';

/**
 * Replaces a model folder's tokenizer with a GLM-4-style one: tokenizer.json with GLM-4's
 * specials (GLM-4.5 marks `<think>` and the tool tags `special: false`, and so does this one),
 * tokenizer_config.json with the chat template (unless `template: false`) and
 * generation_config.json whose eos ids include `<|user|>` and `<|observation|>`, as GLM-4's does.
 */
export function writeGlm4TokenizerFiles(dir: string, options: { template?: boolean } = {}): void {
  const json = byteLevelTokenizerJson(GLM4_SPECIAL_TOKENS) as { added_tokens: { content: string; special: boolean }[] };
  for (const token of json.added_tokens)
    if (/^<\/?(think|tool_call|tool_response)>$/.test(token.content)) token.special = false;
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json));
  const id = (token: string) => 256 + GLM4_SPECIAL_TOKENS.indexOf(token);
  const decoder = Object.fromEntries(
    json.added_tokens.map((t, i) => [String(256 + i), { content: t.content, special: t.special }]),
  );
  const config = {
    eos_token: '<|endoftext|>',
    pad_token: '<|endoftext|>',
    added_tokens_decoder: decoder,
    ...(options.template === false ? {} : { chat_template: GLM4_CHAT_TEMPLATE }),
  };
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  fs.writeFileSync(
    path.join(dir, 'generation_config.json'),
    JSON.stringify({ eos_token_id: [id('<|endoftext|>'), id('<|user|>'), id('<|observation|>')] }),
  );
}
