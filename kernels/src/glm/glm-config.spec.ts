import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelFolder } from './build-model-folder';
import { parseGlmConfig, PRESETS, rotaryDim } from './glm-config';

/**
 * Configs shaped as the published config.json files of GLM-4-9B-chat-hf (`glm`), GLM-4-32B-0414
 * (`glm4`) and GLM-4.5-Air (`glm4_moe`): every key they carry (values as published, to our best
 * knowledge; re-check against the hub files when a machine has network).
 */
const GLM_4_9B_CHAT_HF = {
  architectures: ['GlmForCausalLM'],
  attention_bias: true,
  attention_dropout: 0.0,
  eos_token_id: [151329, 151336, 151338],
  head_dim: 128,
  hidden_act: 'silu',
  hidden_size: 4096,
  initializer_range: 0.02,
  intermediate_size: 13696,
  max_position_embeddings: 131072,
  model_type: 'glm',
  num_attention_heads: 32,
  num_hidden_layers: 40,
  num_key_value_heads: 2,
  pad_token_id: 151329,
  partial_rotary_factor: 0.5,
  rms_norm_eps: 1.5625e-7,
  rope_theta: 10000.0,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  transformers_version: '4.46.0.dev0',
  use_cache: true,
  vocab_size: 151552,
};
const GLM_4_32B_0414 = {
  ...GLM_4_9B_CHAT_HF,
  architectures: ['Glm4ForCausalLM'],
  model_type: 'glm4',
  hidden_size: 6144,
  intermediate_size: 23040,
  max_position_embeddings: 32768,
  num_attention_heads: 48,
  num_hidden_layers: 61,
  rms_norm_eps: 1e-5,
  transformers_version: '4.51.3',
};
const GLM_4_5_AIR = {
  architectures: ['Glm4MoeForCausalLM'],
  attention_bias: true,
  attention_dropout: 0.0,
  pad_token_id: 151329,
  eos_token_id: [151329, 151336, 151338],
  head_dim: 128,
  hidden_act: 'silu',
  hidden_size: 4096,
  partial_rotary_factor: 0.5,
  initializer_range: 0.02,
  intermediate_size: 10944,
  max_position_embeddings: 131072,
  model_type: 'glm4_moe',
  moe_intermediate_size: 1408,
  norm_topk_prob: true,
  num_attention_heads: 96,
  n_group: 1,
  topk_group: 1,
  n_routed_experts: 128,
  n_shared_experts: 1,
  routed_scaling_factor: 1.0,
  num_experts_per_tok: 8,
  first_k_dense_replace: 1,
  num_hidden_layers: 46,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-5,
  rope_scaling: null,
  rope_theta: 1000000,
  num_nextn_predict_layers: 1,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  transformers_version: '4.54.0',
  use_cache: true,
  use_qk_norm: false,
  vocab_size: 151552,
};

describe('Hugging Face GLM configs', () => {
  it('keeps every key that changes the math, and drops the ones that do not', () => {
    const air = parseGlmConfig(GLM_4_5_AIR);
    expect(air).toMatchObject({
      model_type: 'glm4_moe',
      partial_rotary_factor: 0.5,
      attention_bias: true,
      head_dim: 128,
      rope_theta: 1000000,
      n_routed_experts: 128,
      n_shared_experts: 1,
      num_experts_per_tok: 8,
      moe_intermediate_size: 1408,
      first_k_dense_replace: 1,
      n_group: 1,
      topk_group: 1,
      norm_topk_prob: true,
      routed_scaling_factor: 1,
      num_nextn_predict_layers: 1,
      tie_word_embeddings: false,
      eos_token_id: [151329, 151336, 151338],
    });
    expect(Object.keys(air)).not.toEqual(expect.arrayContaining(['architectures']));
    expect(rotaryDim(air)).toBe(64);
    expect(air.use_qk_norm).toBe(false);
    expect(parseGlmConfig({ ...GLM_4_5_AIR, use_qk_norm: true }).use_qk_norm).toBe(true);
    expect(parseGlmConfig(GLM_4_9B_CHAT_HF)).toMatchObject({
      model_type: 'glm',
      rms_norm_eps: 1.5625e-7,
      n_routed_experts: 0,
    });
    expect(parseGlmConfig(GLM_4_32B_0414)).toMatchObject({ model_type: 'glm4', num_hidden_layers: 61 });
  });

  it("fills what a config leaves out with transformers' defaults for its model type", () => {
    const { partial_rotary_factor: _p, attention_bias: _a, rms_norm_eps: _r, ...bare } = GLM_4_9B_CHAT_HF;
    expect(parseGlmConfig(bare)).toMatchObject({
      partial_rotary_factor: 0.5,
      attention_bias: true,
      rms_norm_eps: 1.5625e-7,
    });
    expect(parseGlmConfig({ ...GLM_4_9B_CHAT_HF, eos_token_id: 151329 }).eos_token_id).toEqual([151329]);
  });

  it("reads transformers 5's rope_parameters when they describe plain RoPE", () => {
    const { rope_theta: _t, partial_rotary_factor: _f, ...rest } = GLM_4_32B_0414;
    const parsed = parseGlmConfig({
      ...rest,
      rope_parameters: { rope_type: 'default', rope_theta: 500000, partial_rotary_factor: 0.5 },
    });
    expect(parsed).toMatchObject({ rope_theta: 500000, partial_rotary_factor: 0.5 });
  });

  it('stops on an unknown key, or a value it does not compute, naming it', () => {
    expect(() => parseGlmConfig({ ...GLM_4_5_AIR, use_qk_norm: 'yes' })).toThrow(/use_qk_norm/);
    expect(() => parseGlmConfig({ ...GLM_4_5_AIR, sliding_window: 4096 })).toThrow(/config\.json: .*sliding_window/);
    expect(() => parseGlmConfig({ ...GLM_4_5_AIR, rope_scaling: { rope_type: 'yarn', factor: 4 } })).toThrow(
      /rope_scaling: rope_scaling is not supported/,
    );
    expect(() => parseGlmConfig({ ...GLM_4_9B_CHAT_HF, hidden_act: 'gelu' })).toThrow(/hidden_act/);
    expect(() => parseGlmConfig({ ...GLM_4_9B_CHAT_HF, model_type: 'chatglm' })).toThrow(/model_type/);
    expect(() => parseGlmConfig({ ...GLM_4_32B_0414, rope_parameters: { rope_type: 'yarn', factor: 4 } })).toThrow(
      /rope_scaling/,
    );
    expect(() => parseGlmConfig({ ...GLM_4_5_AIR, n_group: 3 })).toThrow(/n_group: must divide n_routed_experts/);
  });
});

describe("position_encoding (our own family's blank infilling)", () => {
  it('is absent from Hugging Face configs (1-D causal, as transformers computes them) and "2d" in the presets', () => {
    expect(parseGlmConfig(GLM_4_9B_CHAT_HF)).not.toHaveProperty('position_encoding');
    expect(PRESETS['tiny-dense'].position_encoding).toBe('2d');
    expect(PRESETS['tiny-moe'].position_encoding).toBe('2d');
  });

  it('needs room for a second rotary block (partial_rotary_factor ≤ 0.5) and a known value', () => {
    const twoD = { ...GLM_4_9B_CHAT_HF, position_encoding: '2d' };
    expect(parseGlmConfig(twoD).position_encoding).toBe('2d');
    expect(() => parseGlmConfig({ ...twoD, partial_rotary_factor: 0.75 })).toThrow(/position_encoding: 2d rotates/);
    expect(() => parseGlmConfig({ ...twoD, position_encoding: '3d' })).toThrow(/position_encoding/);
  });

  it('a preset is 2-D as a naive graph, 1-D as a fused one; 2-D fused and checkpoint overrides fail', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-positions-'));
    const written = (graph: 'naive' | 'fused', positionEncoding?: '1d' | '2d') => {
      buildModelFolder({ preset: 'tiny-dense', seed: 1, out: dir, graph, positionEncoding });
      return JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).position_encoding;
    };
    expect(written('naive')).toBe('2d');
    expect(written('fused')).toBe('1d');
    expect(written('naive', '1d')).toBe('1d');
    expect(() => written('fused', '2d')).toThrow(/fused graph cannot compute position_encoding "2d"/);
    expect(() => buildModelFolder({ fromHf: dir, out: dir, positionEncoding: '2d' })).toThrow(/applies to presets/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
