import { seededRandom, seededWeights } from '../testing/seeded-random';
import type { GlmConfig } from './glm-config';

/** A tensor in Hugging Face layout: linear weights are [out_features, in_features]. */
export interface WeightTensor {
  data: Float32Array;
  dims: number[];
}
export type GlmWeights = Map<string, WeightTensor>;

const layer = (i: number, name: string) => `model.layers.${i}.${name}`;

/** Every tensor a GLM decoder of this config needs, by its Hugging Face name, with its shape. */
export function glmWeightShapes(config: GlmConfig): Map<string, number[]> {
  const h = config.hidden_size;
  const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [config.vocab_size, h]]]);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    shapes.set(layer(i, 'input_layernorm.weight'), [h]);
    shapes.set(layer(i, 'self_attn.q_proj.weight'), [config.num_attention_heads * config.head_dim, h]);
    shapes.set(layer(i, 'self_attn.k_proj.weight'), [config.num_key_value_heads * config.head_dim, h]);
    shapes.set(layer(i, 'self_attn.v_proj.weight'), [config.num_key_value_heads * config.head_dim, h]);
    shapes.set(layer(i, 'self_attn.o_proj.weight'), [h, config.num_attention_heads * config.head_dim]);
    shapes.set(layer(i, 'post_attention_layernorm.weight'), [h]);
    if (isMoeLayer(config, i)) {
      const inter = config.moe_intermediate_size ?? config.intermediate_size;
      shapes.set(layer(i, 'mlp.gate.weight'), [config.n_routed_experts, h]);
      for (let e = 0; e < config.n_routed_experts; e++) {
        shapes.set(layer(i, `mlp.experts.${e}.gate_proj.weight`), [inter, h]);
        shapes.set(layer(i, `mlp.experts.${e}.up_proj.weight`), [inter, h]);
        shapes.set(layer(i, `mlp.experts.${e}.down_proj.weight`), [h, inter]);
      }
    } else {
      shapes.set(layer(i, 'mlp.gate_proj.weight'), [config.intermediate_size, h]);
      shapes.set(layer(i, 'mlp.up_proj.weight'), [config.intermediate_size, h]);
      shapes.set(layer(i, 'mlp.down_proj.weight'), [h, config.intermediate_size]);
    }
  }
  shapes.set('model.norm.weight', [h]);
  shapes.set('lm_head.weight', [config.vocab_size, h]);
  return shapes;
}

export function isMoeLayer(config: GlmConfig, i: number): boolean {
  return config.n_routed_experts > 0 && config.moe_layers.includes(i);
}

/** Seeded random weights: the same seed gives bit-identical tensors on every machine. */
export function seededGlmWeights(config: GlmConfig, seed: number): GlmWeights {
  const random = seededRandom(seed);
  const weights: GlmWeights = new Map();
  for (const [name, dims] of glmWeightShapes(config)) {
    const count = dims.reduce((a, b) => a * b, 1);
    // Norm weights start at 1 (± noise); matrices scale by fan-in so activations stay in range.
    const data = name.endsWith('layernorm.weight') || name === 'model.norm.weight'
      ? seededWeights(random, count, 0.1).map((v) => 1 + v)
      : seededWeights(random, count, name === 'model.embed_tokens.weight' ? 1 : 1 / Math.sqrt(dims[dims.length - 1]));
    weights.set(name, { data, dims });
  }
  return weights;
}
