import * as fs from 'node:fs';
import * as path from 'node:path';
import { byteLevelTokenizerJson } from '../tokenizer/byte-level-tokenizer';
import { GLM_SPECIAL_TOKENS, type GlmConfig, glmConfigSchema, PRESETS, type PresetName } from './glm-config';
import { buildGlmFusedGraph } from './glm-fused-graph';
import { buildGlmNaiveGraph } from './glm-naive-graph';
import { seededGlmWeights } from './glm-weights';
import { loadGlmWeights } from '../weights/load-glm-weights';

export interface BuildModelFolderOptions {
  preset: PresetName;
  seed: number;
  out: string;
  /** Real weights (.safetensors shards with Hugging Face names) instead of seeded ones. */
  weights?: string[];
  /** Write weights to model.onnx.data beside the graph (needed past 2 GB). */
  externalData?: boolean;
  /**
   * `naive` (standard ops; batched decoding with left padding) or `fused` (com.microsoft ops,
   * faster per step; GroupQueryAttention needs right padding, so the engine decodes it per sequence).
   */
  graph?: 'naive' | 'fused';
}

/**
 * Writes a runnable model folder — config.json, model.onnx, tokenizer.json (byte-level with the
 * GLM special tokens), generation_config.json — from a preset and a seed. The same seed writes
 * the same bytes. Returns the files written.
 */
export function buildModelFolder(options: BuildModelFolderOptions): string[] {
  const preset = PRESETS[options.preset];
  if (!preset) throw new Error(`unknown preset "${options.preset}" (known: ${Object.keys(PRESETS).join(', ')})`);
  const graphKind = options.graph ?? 'naive';
  const config: GlmConfig = glmConfigSchema.parse({ ...preset, zhibing: { preset: options.preset, seed: options.seed, graph: graphKind } });
  const weights = options.weights?.length ? loadGlmWeights(options.weights, config) : seededGlmWeights(config, options.seed);
  const graph = graphKind === 'fused' ? buildGlmFusedGraph(config, weights) : buildGlmNaiveGraph(config, weights);
  fs.mkdirSync(options.out, { recursive: true });
  const serialized = options.externalData ? graph.toBytesWithExternalData('model.onnx.data', { opset: 21 }) : { model: graph.toBytes({ opset: 21 }) };
  const files: [string, string | Uint8Array][] = [
    ['config.json', `${JSON.stringify(config, null, 2)}\n`],
    ['model.onnx', serialized.model],
    ...('data' in serialized ? [['model.onnx.data', serialized.data] as [string, Uint8Array]] : []),
    ['tokenizer.json', JSON.stringify(byteLevelTokenizerJson(GLM_SPECIAL_TOKENS))],
    ['generation_config.json', `${JSON.stringify({ eos_token_id: config.eos_token_id, pad_token_id: config.pad_token_id, max_new_tokens: 64 }, null, 2)}\n`],
  ];
  for (const [name, content] of files) fs.writeFileSync(path.join(options.out, name), content);
  return files.map(([name]) => path.join(options.out, name));
}
