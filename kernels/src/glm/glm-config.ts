import { z } from 'zod';

/** GLM special tokens, in id order after the 256 byte tokens of test tokenizers. */
export const GLM_SPECIAL_TOKENS = [
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
];

export const GLM_MODEL_TYPES = ['glm', 'glm4', 'glm4_moe'] as const;
export type GlmModelType = (typeof GLM_MODEL_TYPES)[number];

/**
 * What transformers assumes when a config.json leaves a key out (GlmConfig, Glm4Config,
 * Glm4MoeConfig defaults), so a real checkpoint's config means here what it means there.
 */
const COMMON_DEFAULTS = {
  head_dim: 128,
  partial_rotary_factor: 0.5,
  rope_theta: 10000,
  tie_word_embeddings: false,
  pad_token_id: 151329,
  eos_token_id: [151329, 151336, 151338],
};
const DEFAULTS: Record<GlmModelType, Record<string, unknown>> = {
  glm: { ...COMMON_DEFAULTS, rms_norm_eps: 1.5625e-7, attention_bias: true },
  glm4: { ...COMMON_DEFAULTS, rms_norm_eps: 1.5625e-7, attention_bias: true },
  glm4_moe: {
    ...COMMON_DEFAULTS,
    rms_norm_eps: 1e-5,
    attention_bias: false,
    n_routed_experts: 128,
    n_shared_experts: 1,
    num_experts_per_tok: 8,
    moe_intermediate_size: 1408,
    first_k_dense_replace: 1,
    n_group: 1,
    topk_group: 1,
    norm_topk_prob: true,
    routed_scaling_factor: 1,
  },
};

/** Keys that do not change the forward pass (training, bookkeeping, generation defaults): accepted, not kept. */
const IGNORED_KEYS = [
  'architectures',
  'torch_dtype',
  'dtype',
  'transformers_version',
  'bos_token_id',
  'use_cache',
  'initializer_range',
  'attention_dropout',
  '_name_or_path',
  'auto_map',
  'output_router_logits',
  'router_aux_loss_coef',
  'is_decoder',
  'output_attentions',
  'output_hidden_states',
  'return_dict',
  'tokenizer_class',
] as const;

const int = z.number().int();
const positive = z.number().int().positive();

const schema = z
  .strictObject({
    model_type: z.enum(GLM_MODEL_TYPES),
    vocab_size: positive,
    hidden_size: positive,
    num_hidden_layers: positive,
    num_attention_heads: positive,
    num_key_value_heads: positive,
    head_dim: positive,
    intermediate_size: positive,
    max_position_embeddings: positive,
    rope_theta: z.number().positive(),
    /** Share of each head's dims that is rotated (GLM: 0.5); the rest passes through. */
    partial_rotary_factor: z.number().gt(0).lte(1),
    rms_norm_eps: z.number().positive(),
    attention_bias: z.boolean(),
    tie_word_embeddings: z.boolean(),
    hidden_act: z.literal('silu').default('silu'),
    rope_scaling: z
      .null({ message: 'rope_scaling is not supported (only plain RoPE); it must be null or absent' })
      .optional(),
    /** GLM-4.5: RMSNorm over each head's dims of q and k (q_norm / k_norm), before rotary. */
    use_qk_norm: z.boolean().default(false),
    n_routed_experts: int.min(0).default(0),
    n_shared_experts: int.min(0).default(0),
    num_experts_per_tok: positive.default(1),
    moe_intermediate_size: positive.optional(),
    /** Layers before this index have a dense MLP; the rest a Mixture of Experts (glm4_moe). */
    first_k_dense_replace: int.min(0).default(0),
    n_group: positive.default(1),
    topk_group: positive.default(1),
    norm_topk_prob: z.boolean().default(true),
    routed_scaling_factor: z.number().positive().default(1),
    /** GLM-4.5's multi-token-prediction layers: their tensors sit after the last layer and are not used. */
    num_nextn_predict_layers: int.min(0).default(0),
    /**
     * Our own model family's key (absent in Hugging Face checkpoints, which stay 1-D causal): `2d` is
     * GLM's blank infilling — position_ids [batch, 2, seq] (position in the context / the [MASK]'s
     * position for span tokens; 0 in the context / 1, 2, … inside the span), the first channel
     * rotating the rotary dims, the second the next as many dims, and a `prefix_mask` input whose
     * keys (the context) every query sees, so the context attends bidirectionally.
     */
    position_encoding: z.enum(['1d', '2d']).optional(),
    eos_token_id: z.union([int, z.array(int)]).transform((v) => (Array.isArray(v) ? v : [v])),
    pad_token_id: int,
    zhibing: z
      .object({
        preset: z.string(),
        seed: int,
        graph: z.enum(['naive', 'fused']),
        dtype: z.enum(['fp32', 'fp16']),
        /**
         * Linear projections (attention, MLPs, experts, an untied lm_head) block-quantized for
         * onnxruntime's MatMulNBits / QMoE: symmetric, blocks of 32, float32 scales.
         */
        quantize: z.enum(['int4', 'int8']),
        /** What `quantize` covers, for people reading the folder (the graph is what runs). */
        quantization: z.object({ bits: z.number(), block_size: z.number(), quantized: z.array(z.string()) }).partial(),
        /** False when the checkpoint came without tokenizer files: the folder generates from ids only. */
        tokenizer: z.boolean(),
      })
      .partial()
      .optional(),
    ...Object.fromEntries(IGNORED_KEYS.map((k) => [k, z.unknown().optional()])),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.num_attention_heads % c.num_key_value_heads !== 0) {
      issue('num_key_value_heads', 'must divide num_attention_heads');
    }
    const rotary = c.head_dim * c.partial_rotary_factor;
    if (!Number.isInteger(rotary) || rotary % 2 !== 0) {
      issue('partial_rotary_factor', 'head_dim × partial_rotary_factor must be an even whole number');
    }
    if (c.position_encoding === '2d' && 2 * rotary > c.head_dim) {
      issue(
        'position_encoding',
        '2d rotates twice the rotary dims (one block per channel): partial_rotary_factor ≤ 0.5',
      );
    }
    if (c.model_type === 'glm4_moe') {
      if (c.n_routed_experts === 0) issue('n_routed_experts', 'must be positive for glm4_moe');
      if (c.num_experts_per_tok > c.n_routed_experts) issue('num_experts_per_tok', 'cannot exceed n_routed_experts');
      if (c.n_routed_experts % c.n_group !== 0 || c.n_routed_experts / c.n_group < 2) {
        issue('n_group', 'must divide n_routed_experts into groups of 2 or more');
      }
      if (c.topk_group > c.n_group) issue('topk_group', 'cannot exceed n_group');
      if (c.moe_intermediate_size === undefined) issue('moe_intermediate_size', 'is required for glm4_moe');
    } else if (c.n_routed_experts > 0) {
      issue('n_routed_experts', `${c.model_type} is a dense architecture; use glm4_moe for experts`);
    }
  });

/**
 * Folds transformers 5's `rope_parameters` ({rope_type: "default", rope_theta, partial_rotary_factor})
 * into the flat keys, and fills the model type's defaults; anything else is left for the schema to judge.
 */
function preprocess(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const input = { ...(raw as Record<string, unknown>) };
  const rope = input.rope_parameters;
  if (rope !== undefined && rope !== null) {
    const {
      rope_type: type,
      rope_theta: theta,
      partial_rotary_factor: factor,
      ...rest
    } = rope as Record<string, unknown>;
    if (type !== 'default' || Object.keys(rest).length > 0)
      input.rope_scaling = rope; // refused below, named
    else {
      if (theta !== undefined) input.rope_theta = theta;
      if (factor !== undefined) input.partial_rotary_factor = factor;
    }
  }
  delete input.rope_parameters;
  const defaults = DEFAULTS[input.model_type as GlmModelType] ?? {};
  return { ...defaults, ...input };
}

/**
 * A GLM-family decoder's config.json, as Hugging Face writes it for `glm` (GLM-4-9B-chat-hf,
 * GLM-Edge), `glm4` (GLM-4-0414) and `glm4_moe` (GLM-4.5 / 4.5-Air). Every key that changes the
 * math is kept (missing ones take transformers' defaults); keys that do not are accepted and
 * dropped; an unknown key, or a value this project does not compute (rope_scaling, qk norm,
 * another activation), fails naming it. The parsed form is complete, so writing it back gives a
 * config.json that means the same to transformers and to us.
 */
export const glmConfigSchema = z.preprocess(preprocess, schema).transform((c) => {
  const kept = { ...c } as Record<string, unknown>;
  for (const key of IGNORED_KEYS) delete kept[key];
  delete kept.rope_scaling;
  return kept as Omit<typeof c, (typeof IGNORED_KEYS)[number] | 'rope_scaling'>;
});
export type GlmConfig = z.output<typeof glmConfigSchema>;
export type GlmConfigInput = z.input<typeof schema>;

/** Parses a config.json object; throws an Error whose message names every bad or unknown key. */
export function parseGlmConfig(raw: unknown, source = 'config.json'): GlmConfig {
  const parsed = glmConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new Error(`${source}: ${problems.join('; ')}`);
}

/** Rotated dims per head (the first ones; GLM rotates half of each head). */
export const rotaryDim = (c: GlmConfig): number => Math.round(c.head_dim * c.partial_rotary_factor);

/**
 * GLM and GLM-4-0414 rotate interleaved pairs (x0,x1), (x2,x3)…; GLM-4.5 (glm4_moe) rotates the
 * two halves of the rotary dims against each other, as transformers' rotate_half does for each.
 */
export const interleavedRotary = (c: GlmConfig): boolean => c.model_type !== 'glm4_moe';

/** GLM's 2-D positions and bidirectional context (blank infilling); see `position_encoding`. */
export const twoDimensionalPositions = (c: GlmConfig): boolean => c.position_encoding === '2d';

const base = {
  vocab_size: 256 + GLM_SPECIAL_TOKENS.length,
  hidden_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  // 32 so the rotated half (16 dims) suits GroupQueryAttention's cos/sin caches (multiples of 8).
  head_dim: 32,
  intermediate_size: 128,
  max_position_embeddings: 1024,
  rope_theta: 10000,
  partial_rotary_factor: 0.5,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: false,
  eos_token_id: [256 + GLM_SPECIAL_TOKENS.indexOf('<eop>'), 256 + GLM_SPECIAL_TOKENS.indexOf('<|endoftext|>')],
  pad_token_id: 256 + GLM_SPECIAL_TOKENS.indexOf('<|endoftext|>'),
  // The XDAI prompt is blank infilling: [MASK] in a bidirectional context, the reply as its span.
  position_encoding: '2d' as const,
};

/**
 * Small presets for tests and benchmarks, in the real configs' shape plus GLM's 2-D blank
 * infilling positions: a `glm` dense model (q/k/v bias, half-rotary) and a `glm4_moe` model
 * (4 sigmoid-routed experts in 2 groups,
 * top-2, one shared expert, both layers MoE).
 */
export const PRESETS = {
  'tiny-dense': parseGlmConfig({ ...base, model_type: 'glm', attention_bias: true }, 'preset tiny-dense'),
  'tiny-moe': parseGlmConfig(
    {
      ...base,
      model_type: 'glm4_moe',
      attention_bias: false,
      n_routed_experts: 4,
      n_shared_experts: 1,
      num_experts_per_tok: 2,
      moe_intermediate_size: 64,
      first_k_dense_replace: 0,
      n_group: 2,
      topk_group: 1,
      norm_topk_prob: true,
      routed_scaling_factor: 1.5,
    },
    'preset tiny-moe',
  ),
} satisfies Record<string, GlmConfig>;
export type PresetName = keyof typeof PRESETS;
