import * as fs from 'node:fs';
import * as path from 'node:path';
import { byteLevelTokenizerJson } from '../tokenizer/byte-level-tokenizer';
import { checkpointFiles, loadGlmWeights } from '../weights/load-glm-weights';
import { GLM_SPECIAL_TOKENS, type GlmConfig, parseGlmConfig, PRESETS, type PresetName } from './glm-config';
import { buildGlmFusedGraph, qmoeUnsupported } from './glm-fused-graph';
import { QUANT_BLOCK } from './matmul-nbits-quantizer';
import { buildGlmNaiveGraph } from './glm-naive-graph';
import { type GlmWeights, seededGlmWeights } from './glm-weights';

export interface BuildModelFolderOptions {
  /** A seeded test model of this preset… */
  preset?: PresetName;
  seed?: number;
  /** …or a Hugging Face checkpoint folder (config.json, safetensors, tokenizer files). */
  fromHf?: string;
  out: string;
  /** Write weights to model.onnx.data beside the graph (needed past 2 GB; always done for --from-hf). */
  externalData?: boolean;
  /**
   * `naive` (standard ops; batched decoding with left padding) or `fused` (com.microsoft ops,
   * faster per step; GroupQueryAttention needs right padding, so the engine decodes it per sequence).
   */
  graph?: 'naive' | 'fused';
  /**
   * A preset's positions: `2d` (GLM blank infilling, the presets' own) or `1d` (causal, as the
   * Hugging Face models). Defaults to the preset's, except for the fused graph, whose attention is
   * causal only: there it defaults to `1d` (asking for `2d` fails). Checkpoints keep their own.
   */
  positionEncoding?: '1d' | '2d';
  /** fp32 (default) or fp16: weights stored as float16 (half the size), computed in float32. */
  dtype?: 'fp32' | 'fp16';
  /**
   * int4 or int8: the linear projections (attention q/k/v/o, MLP gate/up/down, shared and routed
   * experts, an untied lm_head) become onnxruntime's MatMulNBits — experts in the fused graph
   * QMoE — on symmetric blocks of 32 with float32 scales, quantized as each tensor streams. The
   * embedding (and a tied head), norms, biases and the MoE router stay float (fp32, or fp16 per `dtype`).
   */
  quantize?: 'int4' | 'int8';
  /** Told about what the folder will lack (e.g. no tokenizer); defaults to console.warn. */
  onWarning?: (message: string) => void;
}

/** Files a checkpoint may bring that the engine reads (tokenizer, its settings, generation defaults). */
const CHECKPOINT_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'generation_config.json',
  'special_tokens_map.json',
];

function readCheckpointConfig(dir: string): GlmConfig {
  const file = path.join(dir, 'config.json');
  if (!fs.existsSync(file)) throw new Error(`${file}: missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return parseGlmConfig(raw, file);
}

/**
 * Writes a runnable model folder — config.json (the full parsed config), model.onnx [+
 * model.onnx.data], tokenizer.json, generation_config.json — from a preset and a seed (the same
 * seed writes the same bytes, with the byte-level test tokenizer), or from a Hugging Face
 * checkpoint (its tokenizer files copied; without tokenizer.json the folder generates from ids
 * only, and a warning says so). Returns the files written.
 */
export function buildModelFolder(options: BuildModelFolderOptions): string[] {
  const graphKind = options.graph ?? 'naive';
  const dtype = options.dtype ?? 'fp32';
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  if (options.quantize !== undefined && options.quantize !== 'int4' && options.quantize !== 'int8') {
    throw new Error(`quantize must be int4 or int8, not ${String(options.quantize)}`);
  }
  let config: GlmConfig;
  let weights: GlmWeights;
  const copied: string[] = [];
  const files: [string, string | Uint8Array][] = [];
  if (options.fromHf) {
    if (options.positionEncoding) throw new Error('positionEncoding applies to presets; a checkpoint keeps its own');
    config = readCheckpointConfig(options.fromHf);
    weights = loadGlmWeights(checkpointFiles(options.fromHf), config);
    copied.push(...CHECKPOINT_FILES.filter((name) => fs.existsSync(path.join(options.fromHf!, name))));
    const hasTokenizer = copied.includes('tokenizer.json');
    if (!hasTokenizer) warn(`${options.fromHf} has no tokenizer.json: the model folder generates from token ids only`);
    const name = path.basename(path.resolve(options.fromHf));
    config = { ...config, zhibing: { preset: name, graph: graphKind, dtype, tokenizer: hasTokenizer } };
    config = withQuantization(config, options.quantize, warn);
  } else {
    const name = options.preset ?? 'tiny-moe';
    const preset = PRESETS[name];
    if (!preset) throw new Error(`unknown preset "${name}" (known: ${Object.keys(PRESETS).join(', ')})`);
    const seed = options.seed ?? 7;
    const positions = options.positionEncoding ?? (graphKind === 'fused' ? '1d' : (preset.position_encoding ?? '1d'));
    const zhibing = { preset: name, seed, graph: graphKind, ...(dtype === 'fp16' ? { dtype } : {}) };
    config = withQuantization({ ...preset, position_encoding: positions, zhibing }, options.quantize, warn);
    weights = seededGlmWeights(config, seed);
    files.push(['tokenizer.json', JSON.stringify(byteLevelTokenizerJson(GLM_SPECIAL_TOKENS))]);
  }
  const graph = graphKind === 'fused' ? buildGlmFusedGraph(config, weights) : buildGlmNaiveGraph(config, weights);
  fs.mkdirSync(options.out, { recursive: true });
  files.unshift(['config.json', `${JSON.stringify(config, null, 2)}\n`]);
  if (!copied.includes('generation_config.json')) {
    const generation = { eos_token_id: config.eos_token_id, pad_token_id: config.pad_token_id, max_new_tokens: 64 };
    files.push(['generation_config.json', `${JSON.stringify(generation, null, 2)}\n`]);
  }
  for (const [name, content] of files) fs.writeFileSync(path.join(options.out, name), content);
  for (const name of copied) fs.copyFileSync(path.join(options.fromHf!, name), path.join(options.out, name));
  const written = [...files.map(([name]) => name), ...copied];
  const modelFile = path.join(options.out, 'model.onnx');
  if (options.externalData || options.fromHf) {
    graph.writeWithExternalData(modelFile, path.join(options.out, 'model.onnx.data'), { opset: 21 });
    written.push('model.onnx', 'model.onnx.data');
  } else {
    fs.writeFileSync(modelFile, graph.toBytes({ opset: 21 }));
    written.push('model.onnx');
  }
  return written.map((name) => path.join(options.out, name));
}

/**
 * The config with `zhibing.quantize` and a readable `zhibing.quantization` (bits, block size, what
 * is quantized), warning when the fused graph must keep a case's experts float on MoE.
 */
function withQuantization(config: GlmConfig, quantize: 'int4' | 'int8' | undefined, warn: (m: string) => void) {
  if (!quantize) return config;
  const quantized = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj'];
  if (config.n_routed_experts === 0 || config.first_k_dense_replace > 0) quantized.push('mlp (gate, up, down)');
  if (config.n_routed_experts > 0) {
    const fused = config.zhibing?.graph === 'fused';
    const unsupported = fused ? qmoeUnsupported(config, quantize === 'int4' ? 4 : 8) : null;
    if (unsupported) warn(`the routed experts stay float32 on onnxruntime's MoE op: ${unsupported}`);
    else quantized.push(fused ? 'mlp.experts (QMoE)' : 'mlp.experts');
    if (config.n_shared_experts > 0) quantized.push('mlp.shared_experts');
  }
  if (!config.tie_word_embeddings) quantized.push('lm_head');
  const bits = quantize === 'int4' ? 4 : 8;
  const quantization = { bits, block_size: QUANT_BLOCK, quantized };
  return { ...config, zhibing: { ...config.zhibing, quantize, quantization } };
}
