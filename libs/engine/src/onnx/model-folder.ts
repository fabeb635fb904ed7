import * as fs from 'node:fs';
import * as path from 'node:path';
import { glmConfigSchema, type GlmConfig } from '@zhibing/kernels';
import { EngineError, ModelFolderError } from '../engine.errors';

/**
 * `zhibing`: a folder `model build` wrote (config.json carries a `zhibing` key, model.onnx beside it).
 * `optimum`: an Optimum / onnx-community export (Hugging Face config.json, the graphs in `onnx/`).
 */
export type ModelLayout = 'zhibing' | 'optimum';

/** The graph files an export may hold, by the suffix transformers.js gives each dtype. */
export const MODEL_DTYPES = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  q8: 'model_quantized.onnx',
  bnb4: 'model_bnb4.onnx',
} as const;
export type ModelDtype = keyof typeof MODEL_DTYPES;

/** Which graph of a folder to load: a file (relative to the folder, or absolute), or a dtype. */
export interface ModelFileChoice {
  file?: string;
  dtype?: ModelDtype;
}

export interface ModelFolder {
  dir: string;
  name: string;
  layout: ModelLayout;
  /**
   * How rows of a batch are padded: `left` for standard attention (masks and per-row positions),
   * `right` for GroupQueryAttention, which reads each row's length from the mask (our fused
   * graphs, exports from onnxruntime-genai's builder).
   */
  padding: 'left' | 'right';
  config: GlmConfig;
  modelPath: string;
  tokenizerJson: Record<string, unknown>;
  /** tokenizer_config.json when the folder has one (Hugging Face model folders do). */
  tokenizerConfig: Record<string, unknown> | null;
  /** The chat template: chat_template.jinja, or tokenizer_config.json's chat_template; null without one. */
  chatTemplate: string | null;
  /** The file the chat template came from (for errors). */
  chatTemplateFile: string | null;
  /** End-of-sequence ids of config.json and generation_config.json together. */
  eosIds: number[];
  /** Every special token of the tokenizer: none of them may come out of user or knowledge text. */
  specialTokens: string[];
}

function readJson(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) throw new ModelFolderError(file, 'missing');
  return parseJson(file);
}

function readOptionalJson(file: string): Record<string, unknown> | null {
  return fs.existsSync(file) ? parseJson(file) : null;
}

function parseJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelFolderError(file, `not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Reads and checks a model folder: config.json (a GLM-family config), model.onnx and
 * tokenizer.json, and when present tokenizer_config.json (chat template, special tokens),
 * chat_template.jinja and generation_config.json (end-of-sequence ids). Every problem names the
 * file it is in.
 */
export function readModelFolder(dir: string, choice: ModelFileChoice = {}): ModelFolder {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ModelFolderError(dir, 'not a folder');
  const configFile = path.join(dir, 'config.json');
  const rawConfig = readJson(configFile);
  const layout = layoutOf(rawConfig);
  // transformers.js's export settings (kv_cache_dtype, external data): about files, not the math.
  delete rawConfig['transformers.js_config'];
  const parsed = glmConfigSchema.safeParse(rawConfig);
  if (!parsed.success)
    throw new ModelFolderError(
      configFile,
      parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '),
    );
  const modelPath = modelFileOf(dir, layout, choice);
  if (!fs.existsSync(modelPath)) throw new ModelFolderError(modelPath, 'missing');
  if (parsed.data.zhibing?.tokenizer === false) {
    throw new EngineError(
      'model_tokenizer_missing',
      `${dir} was built from a checkpoint without tokenizer files: it takes token ids only (generateFromIds, \`zhibing generate --ids\`), not text`,
    );
  }
  const tokenizerJson = readJson(path.join(dir, 'tokenizer.json'));
  const tokenizerConfigFile = path.join(dir, 'tokenizer_config.json');
  const tokenizerConfig = readOptionalJson(tokenizerConfigFile);
  const generationFile = path.join(dir, 'generation_config.json');
  const generationEos = eosList(generationFile, readOptionalJson(generationFile)?.eos_token_id);
  const groupQuery =
    layout === 'zhibing' ? parsed.data.zhibing?.graph === 'fused' : mentions(modelPath, 'GroupQueryAttention');
  return {
    dir,
    name: path.basename(path.resolve(dir)),
    layout,
    padding: groupQuery ? 'right' : 'left',
    config: parsed.data,
    modelPath,
    tokenizerJson,
    tokenizerConfig,
    ...chatTemplateOf(dir, tokenizerConfigFile, tokenizerConfig),
    eosIds: [...new Set([...parsed.data.eos_token_id, ...generationEos])],
    specialTokens: specialTokensOf(tokenizerJson, tokenizerConfig),
  };
}

/** Our own folders' config.json carries a `zhibing` key; an export's is Hugging Face's own. */
export const layoutOf = (rawConfig: Record<string, unknown>): ModelLayout =>
  rawConfig.zhibing === undefined ? 'optimum' : 'zhibing';

/**
 * The graph to load: the chosen file; else our folders' model.onnx; else, in an export's `onnx/`
 * folder (or the folder itself), the chosen dtype's file, or the first present of fp32, fp16, q4
 * and the other dtypes (the most exact one the export has).
 */
export function modelFileOf(dir: string, layout: ModelLayout, choice: ModelFileChoice): string {
  if (choice.file) return path.resolve(dir, choice.file);
  if (layout === 'zhibing') return path.join(dir, 'model.onnx');
  const onnxDir = path.join(dir, 'onnx');
  const base = fs.existsSync(onnxDir) && fs.statSync(onnxDir).isDirectory() ? onnxDir : dir;
  if (choice.dtype) return path.join(base, MODEL_DTYPES[choice.dtype]);
  const present = Object.values(MODEL_DTYPES).find((file) => fs.existsSync(path.join(base, file)));
  if (!present) {
    throw new ModelFolderError(base, `has none of the graph files ${Object.values(MODEL_DTYPES).join(', ')}`);
  }
  return path.join(base, present);
}

/**
 * Whether the first 64 MB of a graph file contain `text`: enough to find an op type, since ONNX
 * writers put a graph's nodes before its initializers (and large models keep weights outside).
 */
function mentions(file: string, text: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(fs.fstatSync(fd).size, 64 << 20));
    fs.readSync(fd, head, 0, head.length, 0);
    return head.includes(text);
  } finally {
    fs.closeSync(fd);
  }
}

/** generation_config.json's eos_token_id: a number, a list of numbers, or absent. */
function eosList(file: string, value: unknown): number[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((id) => Number.isInteger(id) && id >= 0))
    throw new ModelFolderError(file, 'eos_token_id must be a token id or a list of token ids');
  return list as number[];
}

/**
 * The chat template: a chat_template.jinja file (newer transformers), or tokenizer_config.json's
 * chat_template, a string or a list of named templates of which "default" is the chat one.
 */
function chatTemplateOf(
  dir: string,
  configFile: string,
  tokenizerConfig: Record<string, unknown> | null,
): { chatTemplate: string | null; chatTemplateFile: string | null } {
  const file = path.join(dir, 'chat_template.jinja');
  if (fs.existsSync(file)) return { chatTemplate: fs.readFileSync(file, 'utf8'), chatTemplateFile: file };
  const value = tokenizerConfig?.chat_template;
  if (value === undefined || value === null) return { chatTemplate: null, chatTemplateFile: null };
  if (typeof value === 'string') return { chatTemplate: value, chatTemplateFile: configFile };
  if (Array.isArray(value)) {
    const named = value.find((t) => (t as { name?: unknown }).name === 'default') ?? value[0];
    if (typeof (named as { template?: unknown })?.template === 'string')
      return { chatTemplate: (named as { template: string }).template, chatTemplateFile: configFile };
  }
  throw new ModelFolderError(configFile, 'chat_template must be a string or a list of {name, template}');
}

/** Markup-shaped added tokens act as controls even where marked `special: false` (GLM-4.5's <think>). */
const CONTROL_SHAPED = /^(<[^<>\s]+>|\[[^[\]\s]+\])$/;

/**
 * Every token that must never come out of user or knowledge text: tokenizer.json's added tokens
 * marked special, tokenizer_config.json's added_tokens_decoder entries marked special, and
 * added tokens shaped like markup (`<think>`, `<tool_call>`, `[MASK]`).
 */
export function specialTokensOf(
  tokenizerJson: Record<string, unknown>,
  tokenizerConfig: Record<string, unknown> | null,
): string[] {
  type Added = { content?: unknown; special?: unknown };
  const added = (Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens : []) as Added[];
  const decoder = Object.values((tokenizerConfig?.added_tokens_decoder ?? {}) as Record<string, Added>);
  const tokens = new Set<string>();
  for (const token of [...added, ...decoder]) {
    if (typeof token?.content !== 'string' || token.content.length === 0) continue;
    if (token.special === true || CONTROL_SHAPED.test(token.content)) tokens.add(token.content);
  }
  return [...tokens];
}

/** Checks that the graph's inputs are the ones the config describes (layers, KV heads, head size). */
export function checkModelInputs(
  folder: ModelFolder,
  inputNames: readonly string[],
  inputShape: (name: string) => readonly (number | string)[] | undefined,
): void {
  const { config, modelPath } = folder;
  // Some exports derive positions from the mask themselves; our graphs always take them.
  const requiredInputs = ['input_ids', 'attention_mask', ...(folder.layout === 'zhibing' ? ['position_ids'] : [])];
  for (const required of requiredInputs) {
    if (!inputNames.includes(required)) throw new ModelFolderError(modelPath, `has no input "${required}"`);
  }
  const layers = inputNames.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
  if (layers !== config.num_hidden_layers)
    throw new ModelFolderError(
      modelPath,
      `has ${layers} layers of KV cache but config.json says num_hidden_layers = ${config.num_hidden_layers}`,
    );
  const shape = inputShape('past_key_values.0.key');
  if (shape && typeof shape[1] === 'number' && shape[1] !== config.num_key_value_heads) {
    throw new ModelFolderError(
      modelPath,
      `KV cache has ${shape[1]} heads but config.json says num_key_value_heads = ${config.num_key_value_heads}`,
    );
  }
  if (shape && typeof shape[3] === 'number' && shape[3] !== config.head_dim) {
    throw new ModelFolderError(
      modelPath,
      `KV cache head size is ${shape[3]} but config.json says head_dim = ${config.head_dim}`,
    );
  }
}
