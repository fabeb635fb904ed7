import * as fs from 'node:fs';
import * as path from 'node:path';
import { glmConfigSchema, type GlmConfig } from '@zhibing/kernels';
import { ModelFolderError } from '../engine.errors';

export interface ModelFolder {
  dir: string;
  name: string;
  config: GlmConfig;
  modelPath: string;
  tokenizerJson: Record<string, unknown>;
}

function readJson(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) throw new ModelFolderError(file, 'missing');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelFolderError(file, `not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Reads and checks a model folder: config.json (a GLM-family config), model.onnx and
 * tokenizer.json. Every problem names the file it is in.
 */
export function readModelFolder(dir: string): ModelFolder {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ModelFolderError(dir, 'not a folder');
  const configFile = path.join(dir, 'config.json');
  const parsed = glmConfigSchema.safeParse(readJson(configFile));
  if (!parsed.success) throw new ModelFolderError(configFile, parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
  const modelPath = path.join(dir, 'model.onnx');
  if (!fs.existsSync(modelPath)) throw new ModelFolderError(modelPath, 'missing');
  const tokenizerJson = readJson(path.join(dir, 'tokenizer.json'));
  return { dir, name: path.basename(path.resolve(dir)), config: parsed.data, modelPath, tokenizerJson };
}

/** Checks that the graph's inputs are the ones the config describes (layers, KV heads, head size). */
export function checkModelInputs(folder: ModelFolder, inputNames: readonly string[], inputShape: (name: string) => readonly (number | string)[] | undefined): void {
  const { config, modelPath } = folder;
  for (const required of ['input_ids', 'attention_mask', 'position_ids']) {
    if (!inputNames.includes(required)) throw new ModelFolderError(modelPath, `has no input "${required}"`);
  }
  const layers = inputNames.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
  if (layers !== config.num_hidden_layers) throw new ModelFolderError(modelPath, `has ${layers} layers of KV cache but config.json says num_hidden_layers = ${config.num_hidden_layers}`);
  const shape = inputShape('past_key_values.0.key');
  if (shape && typeof shape[1] === 'number' && shape[1] !== config.num_key_value_heads) {
    throw new ModelFolderError(modelPath, `KV cache has ${shape[1]} heads but config.json says num_key_value_heads = ${config.num_key_value_heads}`);
  }
  if (shape && typeof shape[3] === 'number' && shape[3] !== config.head_dim) {
    throw new ModelFolderError(modelPath, `KV cache head size is ${shape[3]} but config.json says head_dim = ${config.head_dim}`);
  }
}
