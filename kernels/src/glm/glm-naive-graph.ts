import { OnnxGraph } from '../onnx/onnx-graph';
import type { GlmConfig } from './glm-config';
import { declareDecoderInputs, rotaryTables, weightInitializers } from './glm-graph-io';
import { type GlmWeights, isMoeLayer } from './glm-weights';

/**
 * A GLM-family decoder (RMSNorm → rotary attention with grouped KV heads and a KV cache →
 * RMSNorm → SwiGLU FFN or top-k Mixture of Experts) from standard ONNX ops only. Inputs and
 * outputs follow the decoder-with-past convention: `input_ids`, `attention_mask`, `position_ids`,
 * `past_key_values.N.key/value` → `logits`, `present.N.key/value` (+ `router_topk.N` for MoE layers).
 */
export function buildGlmNaiveGraph(config: GlmConfig, weights: GlmWeights): OnnxGraph {
  const g = new OnnxGraph('glm-naive');
  const { hidden_size: h, head_dim: d, num_attention_heads: nh, num_key_value_heads: kvh } = config;
  const { linear, vector } = weightInitializers(g, weights);

  const { ids, mask, positions, pasts } = declareDecoderInputs(g, config);

  // Shapes and the attention bias shared by every layer: causal over absolute positions and
  // the padding mask; -1e9 where a query may not look.
  const zero = g.ints([0]);
  const one = g.ints([1]);
  const seqLen = g.op1('Gather', [g.op1('Shape', [ids]), one], { axis: 0 });
  const totalLen = g.op1('Gather', [g.op1('Shape', [mask]), one], { axis: 0 });
  const pastLen = g.op1('Sub', [totalLen, seqLen]);
  const keyPos = g.op1('Range', [g.op1('Squeeze', [zero]), g.op1('Squeeze', [totalLen]), g.op1('Squeeze', [one])]);
  const queryPos = g.op1('Add', [g.op1('Range', [g.op1('Squeeze', [zero]), g.op1('Squeeze', [seqLen]), g.op1('Squeeze', [one])]), pastLen]);
  const causal = g.op1('LessOrEqual', [g.op1('Unsqueeze', [keyPos, zero]), g.op1('Unsqueeze', [queryPos, one])]); // [S, T]
  const padded = g.op1('Unsqueeze', [g.op1('Cast', [mask], { to: 9 }), g.ints([1, 2])]); // [B,1,1,T]
  const allowed = g.op1('And', [g.op1('Unsqueeze', [causal, g.ints([0, 1])]), padded]); // [B,1,S,T]
  const bias = g.op1('Where', [allowed, g.scalar(0), g.scalar(-1e9)]);

  const tables = rotaryTables(config);
  const cos = g.op1('Unsqueeze', [g.op1('Gather', [g.weight('rotary.cos', tables.cos, [config.max_position_embeddings, d / 2]), positions], { axis: 0 }), one]); // [B,1,S,d/2]
  const sin = g.op1('Unsqueeze', [g.op1('Gather', [g.weight('rotary.sin', tables.sin, [config.max_position_embeddings, d / 2]), positions], { axis: 0 }), one]);
  const rotate = (x: string) => {
    const [x1, x2] = g.op('Split', [x, g.ints([d / 2, d / 2])], { outputs: 2, attributes: { axis: -1 } });
    return g.op1('Concat', [g.op1('Sub', [g.op1('Mul', [x1, cos]), g.op1('Mul', [x2, sin])]), g.op1('Add', [g.op1('Mul', [x2, cos]), g.op1('Mul', [x1, sin])])], { axis: -1 });
  };
  const rmsNorm = (x: string, weight: string) => {
    const variance = g.op1('ReduceMean', [g.op1('Mul', [x, x]), g.ints([-1])], { keepdims: 1 });
    const normed = g.op1('Div', [x, g.op1('Sqrt', [g.op1('Add', [variance, g.scalar(config.rms_norm_eps)])])]);
    return g.op1('Mul', [normed, vector(weight)]);
  };
  const heads = (x: string, count: number) => g.op1('Transpose', [g.op1('Reshape', [x, g.ints([0, 0, count, d])])], { perm: [0, 2, 1, 3] });
  const silu = (x: string) => g.op1('Mul', [x, g.op1('Sigmoid', [x])]);
  const swiglu = (x: string, prefix: string) =>
    g.op1('MatMul', [g.op1('Mul', [silu(g.op1('MatMul', [x, linear(`${prefix}.gate_proj.weight`)])), g.op1('MatMul', [x, linear(`${prefix}.up_proj.weight`)])]), linear(`${prefix}.down_proj.weight`)]);

  let x = g.op1('Gather', [vector('model.embed_tokens.weight'), ids], { axis: 0 });
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    const normed = rmsNorm(x, `${p}.input_layernorm.weight`);
    const q = rotate(heads(g.op1('MatMul', [normed, linear(`${p}.self_attn.q_proj.weight`)]), nh));
    const k = rotate(heads(g.op1('MatMul', [normed, linear(`${p}.self_attn.k_proj.weight`)]), kvh));
    const v = heads(g.op1('MatMul', [normed, linear(`${p}.self_attn.v_proj.weight`)]), kvh);
    const keys = g.op1('Concat', [pasts[i].key, k], { axis: 2 }, `present.${i}.key`);
    const values = g.op1('Concat', [pasts[i].value, v], { axis: 2 }, `present.${i}.value`);
    g.output(`present.${i}.key`, 'float32', ['batch', kvh, 'total_sequence', d]);
    g.output(`present.${i}.value`, 'float32', ['batch', kvh, 'total_sequence', d]);
    // Grouped KV heads: each KV head serves nh / kvh query heads.
    const repeat = (t: string) => g.op1('Reshape', [g.op1('Expand', [g.op1('Unsqueeze', [t, g.ints([2])]), g.op1('Concat', [g.ints([1, 1, nh / kvh]), g.ints([1, 1])], { axis: 0 })]), g.ints([0, nh, -1, d])]);
    const scores = g.op1('Add', [g.op1('Mul', [g.op1('MatMul', [q, g.op1('Transpose', [repeat(keys)], { perm: [0, 1, 3, 2] })]), g.scalar(1 / Math.sqrt(d))]), bias]);
    const attended = g.op1('MatMul', [g.op1('Softmax', [scores], { axis: -1 }), repeat(values)]);
    const merged = g.op1('Reshape', [g.op1('Transpose', [attended], { perm: [0, 2, 1, 3] }), g.ints([0, 0, nh * d])]);
    x = g.op1('Add', [x, g.op1('MatMul', [merged, linear(`${p}.self_attn.o_proj.weight`)])]);

    const ffnIn = rmsNorm(x, `${p}.post_attention_layernorm.weight`);
    let ffn: string;
    if (isMoeLayer(config, i)) {
      // Top-k gating over softmax router probabilities, renormalized over the chosen experts;
      // the reference computes every expert and weights them (zero for the unchosen).
      const probs = g.op1('Softmax', [g.op1('MatMul', [ffnIn, linear(`${p}.mlp.gate.weight`)])], { axis: -1 });
      const [topValues, topIndices] = g.op('TopK', [probs, g.ints([config.num_experts_per_tok])], { outputs: 2, attributes: { axis: -1 } });
      // The chosen experts, exported so the engine can count routing per expert (metrics).
      g.op1('Identity', [topIndices], undefined, `router_topk.${i}`);
      g.output(`router_topk.${i}`, 'int64', ['batch', 'sequence', config.num_experts_per_tok]);
      const normalized = g.op1('Div', [topValues, g.op1('ReduceSum', [topValues, g.ints([-1])], { keepdims: 1 })]);
      const gates = g.op1('ScatterElements', [g.op1('Mul', [probs, g.scalar(0)]), topIndices, normalized], { axis: -1 });
      const outputs = Array.from({ length: config.n_routed_experts }, (_, e) => {
        const gate = g.op1('Gather', [gates, g.ints([e])], { axis: -1 }); // [B,S,1]
        return g.op1('Mul', [swiglu(ffnIn, `${p}.mlp.experts.${e}`), gate]);
      });
      ffn = outputs.reduce((sum, out) => g.op1('Add', [sum, out]));
    } else {
      ffn = swiglu(ffnIn, `${p}.mlp`);
    }
    x = g.op1('Add', [x, ffn]);
  }
  g.op1('MatMul', [rmsNorm(x, 'model.norm.weight'), linear('lm_head.weight')], undefined, 'logits');
  g.output('logits', 'float32', ['batch', 'sequence', config.vocab_size]);
  return g;
}
