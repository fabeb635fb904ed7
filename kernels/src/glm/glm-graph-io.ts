import type { OnnxGraph, StreamedType, WeightProducer } from '../onnx/onnx-graph';
import { type GlmConfig, rotaryDim, twoDimensionalPositions } from './glm-config';
import { glmWeightShapes, type GlmWeights } from './glm-weights';
import { blockBytes, QUANT_BLOCK, quantBlocks, type QuantBits } from './matmul-nbits-quantizer';
import { quantizedPair, rowsProducer, transposedProducer } from './streamed-weights';

/** Rotary tables cos/sin [max_positions, rotary_dim / 2], for GroupQueryAttention's caches. */
export function rotaryTables(config: GlmConfig): { cos: Float32Array; sin: Float32Array } {
  const dim = rotaryDim(config);
  const half = dim / 2;
  const cos = new Float32Array(config.max_position_embeddings * half);
  const sin = new Float32Array(config.max_position_embeddings * half);
  for (let p = 0; p < config.max_position_embeddings; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * Math.fround(1 / Math.pow(config.rope_theta, (2 * i) / dim));
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/**
 * The decoder-with-past inputs every GLM graph declares (see README: I/O contract). With 2-D
 * positions, `position_ids` is [batch, 2, seq] and `prefix_mask` [batch, total] marks the context
 * keys (GLM's Part A) that every query sees; `prefix` is null otherwise.
 */
export function declareDecoderInputs(g: OnnxGraph, config: GlmConfig) {
  const { num_key_value_heads: kvh, head_dim: d } = config;
  const twoD = twoDimensionalPositions(config);
  return {
    ids: g.input('input_ids', 'int64', ['batch', 'sequence']),
    mask: g.input('attention_mask', 'int64', ['batch', 'total_sequence']),
    positions: g.input('position_ids', 'int64', twoD ? ['batch', 2, 'sequence'] : ['batch', 'sequence']),
    prefix: twoD ? g.input('prefix_mask', 'int64', ['batch', 'total_sequence']) : null,
    pasts: Array.from({ length: config.num_hidden_layers }, (_, i) => ({
      key: g.input(`past_key_values.${i}.key`, 'float32', ['batch', kvh, 'past_sequence', d]),
      value: g.input(`past_key_values.${i}.value`, 'float32', ['batch', kvh, 'past_sequence', d]),
    })),
  };
}

/**
 * Each row's logits column for GroupQueryAttention's right-padded batches: the window column of
 * the row's last real token, [batch] int64, exported as the output `logits_column` (its presence
 * tells the engine that the graph takes logits per row, so right-padded prompts may share a call;
 * older graphs take the last column and get one prompt per call). Derived from the mask, which
 * GroupQueryAttention already reads as each row's length (its ones first, then the pads), so it
 * needs no input of its own: column = clamp(Σ mask − 1 − past_width, 0, sequence − 1), with
 * past_width = total − sequence. That covers every window GroupQueryAttention accepts: a first
 * prompt (no past: Σ mask − 1, each row's own last token), a decode step (one column: 0), a later
 * prompt of batch 1 (no pads: the last column).
 */
export function logitsColumn(g: OnnxGraph, mask: string, ids: string): string {
  const dim = (t: string, axis: number) => g.op1('Gather', [g.op1('Shape', [t]), g.ints([axis])], { axis: 0 });
  const sequence = dim(ids, 1);
  const pastWidth = g.op1('Sub', [dim(mask, 1), sequence]);
  const rowLast = g.op1('Sub', [g.op1('ReduceSum', [mask, g.ints([1])], { keepdims: 0 }), g.ints([1])]);
  const column = g.op1('Sub', [rowLast, pastWidth]);
  const clamped = g.op1('Min', [g.op1('Max', [column, g.ints([0])]), g.op1('Sub', [sequence, g.ints([1])])]);
  g.op1('Identity', [clamped], undefined, 'logits_column');
  g.output('logits_column', 'int64', ['batch']);
  return clamped;
}

/** Row b's position column[b] of x [batch, sequence, hidden], as [batch, 1, hidden]. */
export function gatherColumns(g: OnnxGraph, x: string, column: string): string {
  const index = g.op1('Reshape', [column, g.ints([-1, 1, 1])]);
  const shape = g.op1('Shape', [x]);
  const wanted = g.op1(
    'Concat',
    [g.op1('Slice', [shape, g.ints([0]), g.ints([1])]), g.ints([1]), g.op1('Slice', [shape, g.ints([2]), g.ints([3])])],
    { axis: 0 },
  );
  return g.op1('GatherElements', [x, g.op1('Expand', [index, wanted])], { axis: 1 });
}

/**
 * Weights as graph initializers, each added once however often it is used, each streamed from the
 * source when the graph is written (see streamed-weights.ts): `matmul(x, name)` computes x · Wᵀ
 * of an [out, in] weight — MatMul on the transposed weight, or, when the config says
 * `zhibing.quantize`, MatMulNBits on its block-quantized rows (`float: true` keeps a weight in
 * float, e.g. the router); `linear` is the transposed float weight; `vector` keeps the layout;
 * `has` says whether a tensor exists; `stream` adds any other weight. Shapes come from the config.
 * With `zhibing.dtype = fp16`, float weights of rank ≥ 2 are stored as float16 and cast to float32
 * in the graph (half the size on disk; the arithmetic stays float32).
 */
export function weightInitializers(g: OnnxGraph, weights: GlmWeights, config: GlmConfig) {
  const shapes = glmWeightShapes(config);
  const dims = (name: string) => {
    const known = shapes.get(name);
    if (!known) throw new Error(`weight ${name} is not part of this ${config.model_type} architecture`);
    return known;
  };
  const half = config.zhibing?.dtype === 'fp16';
  const bits = quantizationBits(config);
  const added = new Map<string, string>();
  const once = (name: string, add: () => string) => {
    if (!added.has(name)) added.set(name, add());
    return added.get(name)!;
  };
  /** A float weight: float16 on disk (read through a Cast) when asked and of rank ≥ 2. */
  const float = (name: string, shape: number[], produce: (half: boolean) => WeightProducer) =>
    once(name, () => {
      // Vectors (norms, biases, GLM-4.5's correction bias, which transformers keeps in float32) stay float32.
      if (!half || shape.length < 2) return g.weightStream(name, 'float32', shape, produce(false));
      g.weightStream(name, 'float16', shape, produce(true));
      return g.op1('Cast', [name], { to: 1 });
    });
  const linear = (name: string) => {
    const [rows, cols] = dims(name);
    return float(name, [cols, rows], (asHalf) => transposedProducer(weights, name, rows, cols, asHalf));
  };
  const vector = (name: string) => float(name, dims(name), (asHalf) => rowsProducer(weights, name, dims(name), asHalf));
  /** MatMulNBits' B (codes) and scales of an [out, in] weight, quantized in one pass as it streams. */
  const quantized = (name: string, quantBits: QuantBits): [string, string] => {
    const [rows, cols] = dims(name);
    const pair = quantizedPair(weights, name, rows, cols, quantBits);
    const blocks = quantBlocks(cols);
    const codes = once(`${name}.q${quantBits}`, () =>
      g.weightStream(`${name}.q${quantBits}`, 'uint8', [rows, blocks, blockBytes(quantBits)], pair.codes),
    );
    const scales = once(`${name}.scales`, () =>
      g.weightStream(`${name}.scales`, 'float32', [rows * blocks], pair.scales),
    );
    return [codes, scales];
  };
  const matmul = (x: string, name: string, options: { float?: boolean; output?: string } = {}) => {
    if (!bits || options.float) return g.op1('MatMul', [x, linear(name)], undefined, options.output);
    const [n, k] = dims(name);
    const attributes = { K: k, N: n, bits, block_size: QUANT_BLOCK };
    return g.op1('MatMulNBits', [x, ...quantized(name, bits)], attributes, options.output, 'com.microsoft');
  };
  return {
    dims,
    bits,
    has: (name: string) => weights.has(name),
    stream: (name: string, type: StreamedType, shape: number[], produce: WeightProducer) =>
      once(name, () => g.weightStream(name, type, shape, produce)),
    /** Like `stream` for float data, stored as float16 (through a Cast) when the folder's dtype says so. */
    streamFloat: (name: string, shape: number[], produce: (half: boolean) => WeightProducer) =>
      float(name, shape, produce),
    linear,
    vector,
    matmul,
  };
}

/** The bits of `zhibing.quantize` (int4 → 4, int8 → 8), or 0 for float weights. */
export function quantizationBits(config: GlmConfig): 0 | QuantBits {
  const quantize = config.zhibing?.quantize;
  return quantize === 'int4' ? 4 : quantize === 'int8' ? 8 : 0;
}
