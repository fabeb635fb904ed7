import { seededRandom, seededWeights } from '../testing/seeded-random';
import type { StoredValues } from '../weights/safetensors';
import type { GlmConfig } from './glm-config';

/** A tensor in Hugging Face layout: linear weights are [out_features, in_features]. */
export interface WeightTensor {
  data: Float32Array;
  dims: number[];
}
/**
 * A model's tensors by Hugging Face name. A Map works; a checkpoint reader may instead read each
 * tensor from disk when asked, so a graph builder holds one source tensor at a time.
 */
export interface GlmWeights {
  get(name: string): WeightTensor | undefined;
  has(name: string): boolean;
  /**
   * Rows [start, start + count) of a 2-D tensor as float32, reading only them (a checkpoint
   * reader does): lets a writer stream a large tensor a slice at a time. Optional: without it,
   * `readRows` slices `get`.
   */
  rows?(name: string, start: number, count: number): Float32Array;
  /** A tensor's values as stored (16-bit words for F16 / BF16: half the memory of float32). Optional. */
  stored?(name: string): StoredValues;
}

/** Rows [start, start + count) of a 2-D weight (the whole of a 1-D one), as float32. */
export function readRows(weights: GlmWeights, name: string, start: number, count: number): Float32Array {
  if (weights.rows) return weights.rows(name, start, count);
  const tensor = weights.get(name);
  if (!tensor) throw new Error(`missing weight ${name}`);
  const width = tensor.dims.length > 1 ? tensor.dims[tensor.dims.length - 1] : tensor.data.length;
  return tensor.data.subarray(start * width, (start + count) * width);
}

const layer = (i: number, name: string) => `model.layers.${i}.${name}`;

/** The FFN of layer i is a Mixture of Experts (glm4_moe, from `first_k_dense_replace` on). */
export function isMoeLayer(config: GlmConfig, i: number): boolean {
  return config.n_routed_experts > 0 && i >= config.first_k_dense_replace;
}

/**
 * Every tensor a GLM decoder of this config reads, by its Hugging Face name, with its shape. Dense
 * MLPs are listed as separate gate/up projections (checkpoints of `glm`/`glm4` store them fused as
 * `gate_up_proj`; the loader splits it). `lm_head.weight` is absent when the embeddings are tied.
 */
export function glmWeightShapes(config: GlmConfig): Map<string, number[]> {
  const h = config.hidden_size;
  const q = config.num_attention_heads * config.head_dim;
  const kv = config.num_key_value_heads * config.head_dim;
  const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [config.vocab_size, h]]]);
  const mlp = (prefix: string, inter: number) => {
    shapes.set(`${prefix}.gate_proj.weight`, [inter, h]);
    shapes.set(`${prefix}.up_proj.weight`, [inter, h]);
    shapes.set(`${prefix}.down_proj.weight`, [h, inter]);
  };
  for (let i = 0; i < config.num_hidden_layers; i++) {
    shapes.set(layer(i, 'input_layernorm.weight'), [h]);
    for (const [name, rows] of [
      ['q', q],
      ['k', kv],
      ['v', kv],
    ] as const) {
      shapes.set(layer(i, `self_attn.${name}_proj.weight`), [rows, h]);
      if (config.attention_bias) shapes.set(layer(i, `self_attn.${name}_proj.bias`), [rows]);
    }
    if (config.use_qk_norm) {
      shapes.set(layer(i, 'self_attn.q_norm.weight'), [config.head_dim]);
      shapes.set(layer(i, 'self_attn.k_norm.weight'), [config.head_dim]);
    }
    shapes.set(layer(i, 'self_attn.o_proj.weight'), [h, q]);
    shapes.set(layer(i, 'post_attention_layernorm.weight'), [h]);
    if (config.model_type === 'glm4') {
      shapes.set(layer(i, 'post_self_attn_layernorm.weight'), [h]);
      shapes.set(layer(i, 'post_mlp_layernorm.weight'), [h]);
    }
    if (isMoeLayer(config, i)) {
      const inter = config.moe_intermediate_size ?? config.intermediate_size;
      shapes.set(layer(i, 'mlp.gate.weight'), [config.n_routed_experts, h]);
      shapes.set(layer(i, 'mlp.gate.e_score_correction_bias'), [config.n_routed_experts]);
      for (let e = 0; e < config.n_routed_experts; e++) mlp(layer(i, `mlp.experts.${e}`), inter);
      if (config.n_shared_experts > 0) mlp(layer(i, 'mlp.shared_experts'), inter * config.n_shared_experts);
    } else {
      mlp(layer(i, 'mlp'), config.intermediate_size);
    }
  }
  shapes.set('model.norm.weight', [h]);
  if (!config.tie_word_embeddings) shapes.set('lm_head.weight', [config.vocab_size, h]);
  return shapes;
}

const EMBEDDING = 'model.embed_tokens.weight';
// Wider logits: clearer greedy choices in seeded tests.
const HEAD_SCALE: Record<string, number> = { 'lm_head.weight': 4 };

/** Seeded random weights: the same seed gives bit-identical tensors on every machine. */
export function seededGlmWeights(config: GlmConfig, seed: number): Map<string, WeightTensor> {
  const random = seededRandom(seed);
  const weights = new Map<string, WeightTensor>();
  for (const [name, dims] of glmWeightShapes(config)) {
    const count = dims.reduce((a, b) => a * b, 1);
    // Norm weights start at 1 (± noise); biases small; matrices scale by fan-in so activations stay in range.
    const data =
      name.endsWith('layernorm.weight') || name === 'model.norm.weight'
        ? seededWeights(random, count, 0.1).map((v) => 1 + v)
        : dims.length === 1
          ? seededWeights(random, count, 0.1)
          : seededWeights(random, count, (HEAD_SCALE[name] ?? 1) / Math.sqrt(name === EMBEDDING ? 1 : dims[1]));
    weights.set(name, { data, dims });
  }
  return weights;
}
