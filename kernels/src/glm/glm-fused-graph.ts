import { OnnxGraph } from '../onnx/onnx-graph';
import type { GlmConfig } from './glm-config';
import { declareDecoderInputs, rotaryTables, weightInitializers } from './glm-graph-io';
import { type GlmWeights, isMoeLayer } from './glm-weights';

const MS = 'com.microsoft';

/**
 * The same GLM decoder as `buildGlmNaiveGraph`, on onnxruntime's fused contrib ops:
 * SimplifiedLayerNormalization / SkipSimplifiedLayerNormalization (residual add + RMSNorm),
 * GroupQueryAttention (rotary, grouped KV heads, KV cache) and MoE (top-k routing + SwiGLU
 * experts). Same inputs and outputs. GroupQueryAttention reads per-row lengths from the mask
 * (seqlens_k = Σ mask − 1), so batched rows must be RIGHT-padded for this graph.
 */
export function buildGlmFusedGraph(config: GlmConfig, weights: GlmWeights): OnnxGraph {
  const g = new OnnxGraph('glm-fused');
  const { hidden_size: h, head_dim: d, num_attention_heads: nh, num_key_value_heads: kvh } = config;
  const { w, linear, vector } = weightInitializers(g, weights);

  // position_ids is declared for the common contract; GroupQueryAttention derives positions.
  const { ids, mask, pasts } = declareDecoderInputs(g, config);

  // onnxruntime-genai's convention for GroupQueryAttention.
  const seqlensK = g.op1('Cast', [g.op1('Sub', [g.op1('ReduceSum', [mask, g.ints([1])], { keepdims: 0 }), g.ints([1])])], { to: 6 });
  const totalLength = g.op1('Cast', [g.op1('Gather', [g.op1('Shape', [mask]), g.ints([1])], { axis: 0 })], { to: 6 });
  const totalScalar = g.op1('Squeeze', [totalLength]);
  const tables = rotaryTables(config);
  const cos = g.weight('rotary.cos', tables.cos, [config.max_position_embeddings, d / 2]);
  const sin = g.weight('rotary.sin', tables.sin, [config.max_position_embeddings, d / 2]);
  const eps = config.rms_norm_eps;

  let x = g.op1('Gather', [vector('model.embed_tokens.weight'), ids], { axis: 0 });
  let normed = g.op1('SimplifiedLayerNormalization', [x, vector('model.layers.0.input_layernorm.weight')], { axis: -1, epsilon: eps });
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    const q = g.op1('MatMul', [normed, linear(`${p}.self_attn.q_proj.weight`)]);
    const k = g.op1('MatMul', [normed, linear(`${p}.self_attn.k_proj.weight`)]);
    const v = g.op1('MatMul', [normed, linear(`${p}.self_attn.v_proj.weight`)]);
    const [attended] = g.op('GroupQueryAttention', [q, k, v, pasts[i].key, pasts[i].value, seqlensK, totalScalar, cos, sin], {
      outputs: [g.tmp('gqa'), `present.${i}.key`, `present.${i}.value`],
      attributes: { num_heads: nh, kv_num_heads: kvh, do_rotary: 1, rotary_interleaved: 0, scale: 1 / Math.sqrt(d) },
      domain: MS,
    });
    g.output(`present.${i}.key`, 'float32', ['batch', kvh, 'total_sequence', d]);
    g.output(`present.${i}.value`, 'float32', ['batch', kvh, 'total_sequence', d]);
    const projected = g.op1('MatMul', [attended, linear(`${p}.self_attn.o_proj.weight`)]);
    // Residual add and the post-attention RMSNorm in one op; its 4th output is the sum.
    const [ffnIn, , , residual] = g.op('SkipSimplifiedLayerNormalization', [projected, x, vector(`${p}.post_attention_layernorm.weight`)], { outputs: 4, attributes: { epsilon: eps }, domain: MS });
    x = residual;
    let ffn: string;
    if (isMoeLayer(config, i)) {
      const inter = config.moe_intermediate_size ?? config.intermediate_size;
      const experts = config.n_routed_experts;
      // fc1: [experts, 2·inter, hidden] with gate and up rows interleaved (swiglu_fusion = 1);
      // fc2: [experts, hidden, inter] — the layouts onnxruntime's CPU MoE computes with.
      const fc1 = new Float32Array(experts * 2 * inter * h);
      const fc2 = new Float32Array(experts * h * inter);
      for (let e = 0; e < experts; e++) {
        const gate = w(`${p}.mlp.experts.${e}.gate_proj.weight`).data;
        const up = w(`${p}.mlp.experts.${e}.up_proj.weight`).data;
        for (let j = 0; j < inter; j++) {
          fc1.set(gate.subarray(j * h, (j + 1) * h), (e * 2 * inter + 2 * j) * h);
          fc1.set(up.subarray(j * h, (j + 1) * h), (e * 2 * inter + 2 * j + 1) * h);
        }
        fc2.set(w(`${p}.mlp.experts.${e}.down_proj.weight`).data, e * h * inter);
      }
      const flat = g.op1('Reshape', [ffnIn, g.ints([-1, h])]);
      const routerLogits = g.op1('MatMul', [ffnIn, linear(`${p}.mlp.gate.weight`)]); // [B, S, experts]
      const router = g.op1('Reshape', [routerLogits, g.ints([-1, experts])]);
      const mixed = g.op1('MoE', [flat, router, g.weight(`${p}.moe.fc1`, fc1, [experts, 2 * inter, h]), '', g.weight(`${p}.moe.fc2`, fc2, [experts, h, inter])], {
        activation_type: 'swiglu',
        swiglu_fusion: 1,
        activation_alpha: { float: 1 },
        activation_beta: { float: 0 },
        swiglu_limit: { float: 1e9 },
        k: config.num_experts_per_tok,
        normalize_routing_weights: 1,
      }, undefined, MS);
      ffn = g.op1('Reshape', [mixed, g.op1('Shape', [ffnIn])]);
      // Routing for metrics, as the naive graph exports it.
      const probs = g.op1('Softmax', [routerLogits], { axis: -1 });
      g.op('TopK', [probs, g.ints([config.num_experts_per_tok])], { outputs: [g.tmp('topv'), `router_topk.${i}`], attributes: { axis: -1 } });
      g.output(`router_topk.${i}`, 'int64', ['batch', 'sequence', config.num_experts_per_tok]);
    } else {
      const silu = (t: string) => g.op1('Mul', [t, g.op1('Sigmoid', [t])]);
      ffn = g.op1('MatMul', [g.op1('Mul', [silu(g.op1('MatMul', [ffnIn, linear(`${p}.mlp.gate_proj.weight`)])), g.op1('MatMul', [ffnIn, linear(`${p}.mlp.up_proj.weight`)])]), linear(`${p}.mlp.down_proj.weight`)]);
    }
    const nextNorm = i + 1 < config.num_hidden_layers ? `model.layers.${i + 1}.input_layernorm.weight` : 'model.norm.weight';
    const [normedNext, , , sum] = g.op('SkipSimplifiedLayerNormalization', [ffn, x, vector(nextNorm)], { outputs: 4, attributes: { epsilon: eps }, domain: MS });
    normed = normedNext;
    x = sum;
  }
  g.op1('MatMul', [normed, linear('lm_head.weight')], undefined, 'logits');
  g.output('logits', 'float32', ['batch', 'sequence', config.vocab_size]);
  return g;
}
