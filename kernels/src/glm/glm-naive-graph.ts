import { OnnxGraph } from '../onnx/onnx-graph';
import type { GlmConfig } from './glm-config';
import { declareDecoderInputs, weightInitializers } from './glm-graph-io';
import { applyRotary, glmMoeRouter, lastPosition, rmsNorm, rotaryAngles, swiglu } from './glm-graph-ops';
import { type GlmWeights, isMoeLayer } from './glm-weights';

/**
 * A GLM-family decoder from standard ONNX ops only, computing what transformers' GlmForCausalLM,
 * Glm4ForCausalLM and Glm4MoeForCausalLM compute: RMSNorm → attention (q/k/v bias when
 * `attention_bias`, partial rotary, grouped KV heads, KV cache) [→ post-self-attn RMSNorm for glm4]
 * → residual → RMSNorm → SwiGLU MLP, or GLM-4.5's MoE (sigmoid group-limited router, routed experts
 * + shared experts) from layer `first_k_dense_replace` on [→ post-mlp RMSNorm for glm4] → residual;
 * final RMSNorm; LM head (tied to the embedding when `tie_word_embeddings`) on the LAST position only.
 * I/O: `input_ids`, `attention_mask`, `position_ids`, `past_key_values.N.key/value` → `logits`
 * [batch, 1, vocab], `present.N.key/value` (+ `router_topk.N` for MoE layers).
 */
export function buildGlmNaiveGraph(config: GlmConfig, weights: GlmWeights): OnnxGraph {
  const g = new OnnxGraph('glm-naive');
  const { head_dim: d, num_attention_heads: nh, num_key_value_heads: kvh } = config;
  const { linear, vector, has, matmul } = weightInitializers(g, weights, config);

  const { ids, mask, positions, prefix, pasts } = declareDecoderInputs(g, config);

  // Shapes and the attention bias shared by every layer: causal over absolute positions (or, with
  // 2-D positions, any key of the prefix: GLM's bidirectional context) and the padding mask;
  // -1e9 where a query may not look.
  const zero = g.ints([0]);
  const one = g.ints([1]);
  const seqLen = g.op1('Gather', [g.op1('Shape', [ids]), one], { axis: 0 });
  const totalLen = g.op1('Gather', [g.op1('Shape', [mask]), one], { axis: 0 });
  const pastLen = g.op1('Sub', [totalLen, seqLen]);
  const scalar = (t: string) => g.op1('Squeeze', [t]);
  const keyPos = g.op1('Range', [scalar(zero), scalar(totalLen), scalar(one)]);
  const queryPos = g.op1('Add', [g.op1('Range', [scalar(zero), scalar(seqLen), scalar(one)]), pastLen]);
  const causal = g.op1('LessOrEqual', [g.op1('Unsqueeze', [keyPos, zero]), g.op1('Unsqueeze', [queryPos, one])]); // S,T
  const padded = g.op1('Unsqueeze', [g.op1('Cast', [mask], { to: 9 }), g.ints([1, 2])]); // [B,1,1,T]
  let visible = g.op1('Unsqueeze', [causal, g.ints([0, 1])]); // [1,1,S,T]
  if (prefix) {
    const context = g.op1('Unsqueeze', [g.op1('Cast', [prefix], { to: 9 }), g.ints([1, 2])]); // [B,1,1,T]
    visible = g.op1('Or', [visible, context]);
  }
  const allowed = g.op1('And', [visible, padded]); // [B,1,S,T]
  const bias = g.op1('Where', [allowed, g.scalar(0), g.scalar(-1e9)]);

  const angles = rotaryAngles(g, config, positions);
  const norm = (x: string, weight: string) => rmsNorm(g, config, x, vector(weight));
  const project = (x: string, name: string) => {
    const y = matmul(x, `${name}.weight`);
    return config.attention_bias && has(`${name}.bias`) ? g.op1('Add', [y, vector(`${name}.bias`)]) : y;
  };
  const heads = (x: string, count: number) =>
    g.op1('Transpose', [g.op1('Reshape', [x, g.ints([0, 0, count, d])])], { perm: [0, 2, 1, 3] });
  // Grouped KV heads: each KV head serves nh / kvh query heads (transformers' repeat_kv).
  const repeat = (t: string) => {
    const expanded = g.op1('Expand', [g.op1('Unsqueeze', [t, g.ints([2])]), g.ints([1, 1, nh / kvh, 1, 1])]);
    return g.op1('Reshape', [expanded, g.ints([0, nh, -1, d])]);
  };

  let x = g.op1('Gather', [vector('model.embed_tokens.weight'), ids], { axis: 0 });
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    const normed = norm(x, `${p}.input_layernorm.weight`);
    // GLM-4.5's qk norm: RMSNorm over each head's dims, before rotary.
    const qkNorm = (x: string, which: 'q' | 'k') =>
      config.use_qk_norm ? norm(x, `${p}.self_attn.${which}_norm.weight`) : x;
    const q = applyRotary(g, config, qkNorm(heads(project(normed, `${p}.self_attn.q_proj`), nh), 'q'), angles);
    const k = applyRotary(g, config, qkNorm(heads(project(normed, `${p}.self_attn.k_proj`), kvh), 'k'), angles);
    const v = heads(project(normed, `${p}.self_attn.v_proj`), kvh);
    const keys = g.op1('Concat', [pasts[i].key, k], { axis: 2 }, `present.${i}.key`);
    const values = g.op1('Concat', [pasts[i].value, v], { axis: 2 }, `present.${i}.value`);
    g.output(`present.${i}.key`, 'float32', ['batch', kvh, 'total_sequence', d]);
    g.output(`present.${i}.value`, 'float32', ['batch', kvh, 'total_sequence', d]);
    const keysT = g.op1('Transpose', [repeat(keys)], { perm: [0, 1, 3, 2] });
    const scores = g.op1('Add', [g.op1('Mul', [g.op1('MatMul', [q, keysT]), g.scalar(1 / Math.sqrt(d))]), bias]);
    const attended = g.op1('MatMul', [g.op1('Softmax', [scores], { axis: -1 }), repeat(values)]);
    const merged = g.op1('Reshape', [g.op1('Transpose', [attended], { perm: [0, 2, 1, 3] }), g.ints([0, 0, nh * d])]);
    let attention = matmul(merged, `${p}.self_attn.o_proj.weight`);
    if (config.model_type === 'glm4') attention = norm(attention, `${p}.post_self_attn_layernorm.weight`);
    x = g.op1('Add', [x, attention]);

    const ffnIn = norm(x, `${p}.post_attention_layernorm.weight`);
    let ffn: string;
    if (isMoeLayer(config, i)) {
      const router = [linear(`${p}.mlp.gate.weight`), vector(`${p}.mlp.gate.e_score_correction_bias`)] as const;
      const { indices, weights: routed } = glmMoeRouter(g, config, ffnIn, ...router);
      // The chosen experts, exported so the engine can count routing per expert (metrics).
      g.op1('Identity', [indices], undefined, `router_topk.${i}`);
      g.output(`router_topk.${i}`, 'int64', ['batch', 'sequence', config.num_experts_per_tok]);
      // Only the routed experts run: each expert takes the tokens that chose it (Gather), and its
      // weighted output is added back at their rows (ScatterND, reduction add).
      const flat = g.op1('Reshape', [ffnIn, g.ints([-1, config.hidden_size])]);
      const flatIndices = g.op1('Reshape', [indices, g.ints([-1, config.num_experts_per_tok])]);
      const flatWeights = g.op1('Reshape', [routed, g.ints([-1, config.num_experts_per_tok])]);
      let mixed = g.op1('Mul', [flat, g.scalar(0)]);
      for (let e = 0; e < config.n_routed_experts; e++) {
        const chose = g.op1('Equal', [flatIndices, g.ints([e])]); // [N, k]
        const chosen = g.op1('Where', [chose, flatWeights, g.scalar(0)]);
        const weight = g.op1('ReduceSum', [chosen, g.ints([-1])], { keepdims: 1 }); // [N, 1]
        const anyK = g.op1('ReduceMax', [g.op1('Cast', [chose], { to: 6 }), g.ints([-1])], { keepdims: 0 });
        const nonZero = g.op1('NonZero', [g.op1('Cast', [anyK], { to: 9 })]);
        const rows = g.op1('Transpose', [nonZero], { perm: [1, 0] }); // [M, 1]
        const taken = g.op1('GatherND', [flat, rows]);
        const expert = swiglu(g, matmul, taken, `${p}.mlp.experts.${e}`);
        const out = g.op1('Mul', [expert, g.op1('GatherND', [weight, rows])]);
        mixed = g.op1('ScatterND', [mixed, rows, out], { reduction: 'add' });
      }
      const outputs = [g.op1('Reshape', [mixed, g.op1('Shape', [ffnIn])])];
      if (config.n_shared_experts > 0) outputs.push(swiglu(g, matmul, ffnIn, `${p}.mlp.shared_experts`));
      ffn = outputs.reduce((sum, out) => g.op1('Add', [sum, out]));
    } else {
      ffn = swiglu(g, matmul, ffnIn, `${p}.mlp`);
    }
    if (config.model_type === 'glm4') ffn = norm(ffn, `${p}.post_mlp_layernorm.weight`);
    x = g.op1('Add', [x, ffn]);
  }
  const last = norm(lastPosition(g, x), 'model.norm.weight');
  if (config.tie_word_embeddings) {
    // A tied head shares the embedding, which a Gather reads as floats: it stays float, transposed once
    // by onnxruntime's constant folding.
    const head = g.op1('Transpose', [vector('model.embed_tokens.weight')], { perm: [1, 0] });
    g.op1('MatMul', [last, head], undefined, 'logits');
  } else {
    matmul(last, 'lm_head.weight', { output: 'logits' });
  }
  g.output('logits', 'float32', ['batch', 1, config.vocab_size]);
  return g;
}
