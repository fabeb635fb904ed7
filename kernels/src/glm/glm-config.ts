import { z } from 'zod';

/** GLM special tokens, in id order after the 256 byte tokens of test tokenizers. */
export const GLM_SPECIAL_TOKENS = ['[MASK]', '[sMASK]', '[gMASK]', '<sop>', '<eop>', '<|system|>', '<|user|>', '<|assistant|>', '<|observation|>', '<|endoftext|>'];

/**
 * A GLM-family decoder's config.json (Hugging Face naming). `n_routed_experts > 0` makes the
 * FFN of the layers in `moe_layers` a Mixture of Experts with top-`num_experts_per_tok` gating
 * (1 = Switch, 2 = GShard).
 */
export const glmConfigSchema = z.object({
  model_type: z.enum(['glm', 'glm_moe']),
  vocab_size: z.number().int().positive(),
  hidden_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive(),
  head_dim: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  max_position_embeddings: z.number().int().positive(),
  rope_theta: z.number().positive().default(10000),
  rms_norm_eps: z.number().positive().default(1e-5),
  n_routed_experts: z.number().int().min(0).default(0),
  num_experts_per_tok: z.number().int().min(1).default(2),
  moe_intermediate_size: z.number().int().positive().optional(),
  moe_layers: z.array(z.number().int().min(0)).default([]),
  eos_token_id: z.array(z.number().int()),
  pad_token_id: z.number().int(),
  zhibing: z.object({ preset: z.string(), seed: z.number().int(), graph: z.enum(['naive', 'fused']) }).partial().optional(),
}).superRefine((c, ctx) => {
  if (c.num_attention_heads % c.num_key_value_heads !== 0) ctx.addIssue({ code: 'custom', path: ['num_key_value_heads'], message: 'must divide num_attention_heads' });
  if (c.head_dim % 2 !== 0) ctx.addIssue({ code: 'custom', path: ['head_dim'], message: 'must be even (rotary)' });
  if (c.n_routed_experts > 0 && c.num_experts_per_tok > c.n_routed_experts) ctx.addIssue({ code: 'custom', path: ['num_experts_per_tok'], message: 'cannot exceed n_routed_experts' });
});
export type GlmConfig = z.infer<typeof glmConfigSchema>;

const base = {
  vocab_size: 256 + GLM_SPECIAL_TOKENS.length,
  hidden_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 16,
  intermediate_size: 128,
  max_position_embeddings: 1024,
  rope_theta: 10000,
  rms_norm_eps: 1e-5,
  eos_token_id: [256 + GLM_SPECIAL_TOKENS.indexOf('<eop>'), 256 + GLM_SPECIAL_TOKENS.indexOf('<|endoftext|>')],
  pad_token_id: 256 + GLM_SPECIAL_TOKENS.indexOf('<|endoftext|>'),
};

/** Small presets for tests and benchmarks: a dense model and a 4-expert top-2 MoE. */
export const PRESETS: Record<'tiny-dense' | 'tiny-moe', Omit<GlmConfig, 'zhibing'>> = {
  'tiny-dense': { ...base, model_type: 'glm', n_routed_experts: 0, num_experts_per_tok: 1, moe_layers: [] },
  'tiny-moe': { ...base, model_type: 'glm_moe', n_routed_experts: 4, num_experts_per_tok: 2, moe_intermediate_size: 64, moe_layers: [0, 1] },
};
export type PresetName = keyof typeof PRESETS;
