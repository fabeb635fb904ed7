import { OnnxGraph, type WeightProducer } from '../onnx/onnx-graph';
import { type GlmConfig, interleavedRotary, rotaryDim, twoDimensionalPositions } from './glm-config';
import { declareDecoderInputs, gatherColumns, logitsColumn, rotaryTables, weightInitializers } from './glm-graph-io';
import { glmMoeRouter, swiglu } from './glm-graph-ops';
import { type GlmWeights, isMoeLayer, readRows } from './glm-weights';
import { QUANT_BLOCK, quantBlocks, type QuantBits, unpaddedRows } from './matmul-nbits-quantizer';
import { floatBytes, quantizedSlices } from './streamed-weights';

const MS = 'com.microsoft';

/**
 * The same GLM decoder as `buildGlmNaiveGraph`, on onnxruntime's fused contrib ops:
 * SimplifiedLayerNormalization / SkipSimplifiedLayerNormalization (residual add + RMSNorm),
 * GroupQueryAttention (partial rotary — interleaved for glm/glm4, halves for glm4_moe —, grouped
 * KV heads, KV cache) and MoE (SwiGLU experts). onnxruntime's MoE routes by softmax top-k; GLM-4.5
 * routes by sigmoid with groups, a correction bias and a scaling factor, so the router is computed
 * as in the naive graph and handed to MoE as logits log(wᵢ) on the chosen experts (−1e9 elsewhere):
 * its softmax gives wᵢ / Σw, and the output is multiplied back by Σw. Same inputs and outputs.
 * GroupQueryAttention reads per-row lengths from the mask (seqlens_k = Σ mask − 1), so batched rows
 * must be RIGHT-padded for this graph; the logits are each row's last real token's (see
 * logitsColumn), so prompts of different lengths can be prefilled in one call.
 */
export function buildGlmFusedGraph(config: GlmConfig, weights: GlmWeights): OnnxGraph {
  if ((rotaryDim(config) / 2) % 8 !== 0) {
    throw new Error(
      `the fused graph needs head_dim × partial_rotary_factor to be a multiple of 16 (GroupQueryAttention's rotary ` +
        `caches); it is ${rotaryDim(config)}: use the naive graph`,
    );
  }
  if (twoDimensionalPositions(config)) {
    // onnxruntime's GroupQueryAttention always applies its causal mask (attention_bias only adds
    // to it), so GLM's bidirectional context cannot be expressed with it.
    throw new Error(
      'the fused graph cannot compute position_encoding "2d" (GroupQueryAttention is causal only; blank ' +
        'infilling needs a bidirectional context): use the naive graph, or build with position_encoding "1d"',
    );
  }
  const g = new OnnxGraph('glm-fused');
  const { head_dim: d, num_attention_heads: nh, num_key_value_heads: kvh } = config;
  const io = weightInitializers(g, weights, config);
  const { vector, matmul } = io;

  // position_ids is declared for the common contract; GroupQueryAttention derives positions.
  const { ids, mask, pasts } = declareDecoderInputs(g, config);

  // onnxruntime-genai's convention for GroupQueryAttention.
  const rowLengths = g.op1('ReduceSum', [mask, g.ints([1])], { keepdims: 0 });
  const seqlensK = g.op1('Cast', [g.op1('Sub', [rowLengths, g.ints([1])])], { to: 6 });
  const totalLength = g.op1('Cast', [g.op1('Gather', [g.op1('Shape', [mask]), g.ints([1])], { axis: 0 })], { to: 6 });
  const totalScalar = g.op1('Squeeze', [totalLength]);
  const tables = rotaryTables(config);
  const cos = g.weight('rotary.cos', tables.cos, [config.max_position_embeddings, rotaryDim(config) / 2]);
  const sin = g.weight('rotary.sin', tables.sin, [config.max_position_embeddings, rotaryDim(config) / 2]);
  const eps = config.rms_norm_eps;
  const interleaved = interleavedRotary(config) ? 1 : 0;
  const norm = (x: string, weight: string) =>
    g.op1('SimplifiedLayerNormalization', [x, vector(weight)], { axis: -1, epsilon: eps });
  // Residual add and RMSNorm in one op: [normed, , , sum].
  const skipNorm = (x: string, residual: string, weight: string) =>
    g.op('SkipSimplifiedLayerNormalization', [x, residual, vector(weight)], {
      outputs: 4,
      attributes: { epsilon: eps },
      domain: MS,
    });
  const project = (x: string, name: string) => {
    const y = matmul(x, `${name}.weight`);
    return config.attention_bias ? g.op1('Add', [y, vector(`${name}.bias`)]) : y;
  };

  let x = g.op1('Gather', [vector('model.embed_tokens.weight'), ids], { axis: 0 });
  let normed = norm(x, 'model.layers.0.input_layernorm.weight');
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    // GLM-4.5's qk norm: RMSNorm over each head's dims of the packed [B, S, heads·d] projections.
    const qkNorm = (x: string, which: 'q' | 'k', count: number) => {
      if (!config.use_qk_norm) return x;
      const perHead = g.op1('Reshape', [x, g.ints([0, 0, count, d])]);
      return g.op1('Reshape', [norm(perHead, `${p}.self_attn.${which}_norm.weight`), g.ints([0, 0, count * d])]);
    };
    const q = qkNorm(project(normed, `${p}.self_attn.q_proj`), 'q', nh);
    const k = qkNorm(project(normed, `${p}.self_attn.k_proj`), 'k', kvh);
    const v = project(normed, `${p}.self_attn.v_proj`);
    const gqaInputs = [q, k, v, pasts[i].key, pasts[i].value, seqlensK, totalScalar, cos, sin];
    const [attended] = g.op('GroupQueryAttention', gqaInputs, {
      outputs: [g.tmp('gqa'), `present.${i}.key`, `present.${i}.value`],
      attributes: {
        num_heads: nh,
        kv_num_heads: kvh,
        do_rotary: 1,
        rotary_interleaved: interleaved,
        scale: 1 / Math.sqrt(d),
      },
      domain: MS,
    });
    g.output(`present.${i}.key`, 'float32', ['batch', kvh, 'total_sequence', d]);
    g.output(`present.${i}.value`, 'float32', ['batch', kvh, 'total_sequence', d]);
    let projected = matmul(attended, `${p}.self_attn.o_proj.weight`);
    if (config.model_type === 'glm4') projected = norm(projected, `${p}.post_self_attn_layernorm.weight`);
    const [ffnIn, , , residual] = skipNorm(projected, x, `${p}.post_attention_layernorm.weight`);
    x = residual;
    let ffn = isMoeLayer(config, i) ? moeLayer(g, config, weights, ffnIn, i, io) : swiglu(g, matmul, ffnIn, `${p}.mlp`);
    if (config.model_type === 'glm4') ffn = norm(ffn, `${p}.post_mlp_layernorm.weight`);
    const last = i + 1 === config.num_hidden_layers;
    const nextNorm = last ? 'model.norm.weight' : `model.layers.${i + 1}.input_layernorm.weight`;
    const [normedNext, , , sum] = skipNorm(ffn, x, nextNorm);
    normed = normedNext;
    x = sum;
  }
  // Each row's last real token (rows of a batched prompt are right-padded), not the last column.
  const lastTokens = gatherColumns(g, normed, logitsColumn(g, mask, ids));
  if (config.tie_word_embeddings) {
    const head = g.op1('Transpose', [vector('model.embed_tokens.weight')], { perm: [1, 0] });
    g.op1('MatMul', [lastTokens, head], undefined, 'logits');
  } else {
    matmul(lastTokens, 'lm_head.weight', { output: 'logits' });
  }
  g.output('logits', 'float32', ['batch', 1, config.vocab_size]);
  return g;
}

/**
 * Why the experts of this config cannot go on onnxruntime's QMoE at `bits`, or null when they can.
 * QMoE packs each row's codes without padding (two 4-bit codes a byte), so at 4 bits hidden_size
 * and moe_intermediate_size must be even; a last partial block of 32 is fine (its scale covers the
 * rest). Such experts stay float on MoE.
 */
export function qmoeUnsupported(config: GlmConfig, bits: QuantBits): string | null {
  const inter = config.moe_intermediate_size ?? config.intermediate_size;
  if (bits === 8 || (config.hidden_size % 2 === 0 && inter % 2 === 0)) return null;
  return `4-bit QMoE packs two codes a byte: hidden_size (${config.hidden_size}) and moe_intermediate_size (${inter}) must be even`;
}

/**
 * GLM-4.5's MoE FFN of layer i on onnxruntime's MoE op — or QMoE, with the experts block-quantized
 * like MatMulNBits, when the folder is quantized — plus the shared experts.
 */
function moeLayer(
  g: OnnxGraph,
  config: GlmConfig,
  weights: GlmWeights,
  ffnIn: string,
  i: number,
  io: ReturnType<typeof weightInitializers>,
): string {
  const p = `model.layers.${i}`;
  const h = config.hidden_size;
  const experts = config.n_routed_experts;
  const inter = io.dims(`${p}.mlp.experts.0.gate_proj.weight`)[0];
  const router = [io.linear(`${p}.mlp.gate.weight`), io.vector(`${p}.mlp.gate.e_score_correction_bias`)] as const;
  const { scores, indices, weights: routed } = glmMoeRouter(g, config, ffnIn, ...router);
  // The chosen experts, exported so the engine can count routing per expert (metrics).
  g.op1('Identity', [indices], undefined, `router_topk.${i}`);
  g.output(`router_topk.${i}`, 'int64', ['batch', 'sequence', config.num_experts_per_tok]);
  const unchosen = g.op1('Add', [g.op1('Mul', [scores, g.scalar(0)]), g.scalar(-1e9)]);
  const logits = g.op1('ScatterElements', [unchosen, indices, g.op1('Log', [routed])], { axis: -1 });
  const total = g.op1('Reshape', [g.op1('ReduceSum', [routed, g.ints([-1])], { keepdims: 1 }), g.ints([-1, 1])]);
  // fc1: [experts, 2·inter, hidden] with gate and up rows interleaved (swiglu_fusion = 1);
  // fc2: [experts, hidden, inter] — the layouts onnxruntime's CPU MoE and QMoE compute with. Each
  // is produced an expert at a time.
  const fc1Rows = (e: number) => {
    const gate = readRows(weights, `${p}.mlp.experts.${e}.gate_proj.weight`, 0, inter);
    const up = readRows(weights, `${p}.mlp.experts.${e}.up_proj.weight`, 0, inter);
    const out = new Float32Array(2 * inter * h);
    for (let j = 0; j < inter; j++) {
      out.set(gate.subarray(j * h, (j + 1) * h), 2 * j * h);
      out.set(up.subarray(j * h, (j + 1) * h), (2 * j + 1) * h);
    }
    return out;
  };
  const fc2Rows = (e: number) => readRows(weights, `${p}.mlp.experts.${e}.down_proj.weight`, 0, h);
  const perExpert = (rows: (e: number) => Float32Array) =>
    function* () {
      for (let e = 0; e < experts; e++) yield rows(e);
    };
  const flat = g.op1('Reshape', [ffnIn, g.ints([-1, h])]);
  const routerLogits = g.op1('Reshape', [logits, g.ints([-1, experts])]);
  const swigluAttributes = {
    activation_type: 'swiglu',
    swiglu_fusion: 1,
    activation_alpha: { float: 1 },
    activation_beta: { float: 0 },
    swiglu_limit: { float: 1e9 },
    k: config.num_experts_per_tok,
    normalize_routing_weights: 1,
  };
  let mixed: string;
  if (io.bits && !qmoeUnsupported(config, io.bits)) {
    const bits = io.bits;
    const quantized = (name: string, rows: number, cols: number, expertRows: (e: number) => Float32Array) => {
      const pair = quantizedSlices(perExpert(expertRows), experts * rows, cols, bits);
      // QMoE's rows hold cols·bits/8 bytes: a partial last block's padding is dropped.
      const codes: WeightProducer = (emit) => pair.codes((padded) => emit(unpaddedRows(padded, cols, bits)));
      return [
        io.stream(`${name}.q${bits}`, 'uint8', [experts, rows, (cols * bits) / 8], codes),
        io.stream(`${name}.scales`, 'float32', [experts, rows, quantBlocks(cols)], pair.scales),
      ];
    };
    const [fc1, fc1Scales] = quantized(`${p}.moe.fc1`, 2 * inter, h, fc1Rows);
    const [fc2, fc2Scales] = quantized(`${p}.moe.fc2`, h, inter, fc2Rows);
    const inputs = [flat, routerLogits, fc1, fc1Scales, '', fc2, fc2Scales, ''];
    const attributes = { ...swigluAttributes, expert_weight_bits: bits, block_size: QUANT_BLOCK };
    mixed = g.op1('QMoE', inputs, attributes, undefined, MS);
  } else {
    const stacked = (rows: (e: number) => Float32Array) => (half: boolean) => (emit: (bytes: Uint8Array) => void) => {
      for (const slice of perExpert(rows)()) emit(floatBytes(slice, half));
    };
    const fc1 = io.streamFloat(`${p}.moe.fc1`, [experts, 2 * inter, h], stacked(fc1Rows));
    const fc2 = io.streamFloat(`${p}.moe.fc2`, [experts, h, inter], stacked(fc2Rows));
    mixed = g.op1('MoE', [flat, routerLogits, fc1, '', fc2], swigluAttributes, undefined, MS);
  }
  let out = g.op1('Reshape', [g.op1('Mul', [mixed, total]), g.op1('Shape', [ffnIn])]);
  if (config.n_shared_experts > 0) out = g.op1('Add', [out, swiglu(g, io.matmul, ffnIn, `${p}.mlp.shared_experts`)]);
  return out;
}
