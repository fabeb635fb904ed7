import type { OnnxGraph } from '../onnx/onnx-graph';
import { type GlmConfig, rotaryDim, twoDimensionalPositions } from './glm-config';
import { glmWeightShapes, type GlmWeights } from './glm-weights';

/** [out, in] → [in, out], the layout ONNX MatMul takes. */
export function transpose(w: { data: Float32Array; dims: number[] }): Float32Array {
  const [rows, cols] = w.dims;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w.data[r * cols + c];
  return out;
}

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
 * Weights as graph initializers, each added once however often it is used: `linear` transposes
 * [out, in] to MatMul's [in, out]; `vector` keeps the layout; `has` says whether a tensor exists;
 * `tensor` adds any other weight. Shapes come from the config, and each tensor is read only when
 * the graph is written. With `zhibing.dtype = fp16` weights are stored as float16 and cast to
 * float32 in the graph (half the size on disk; the arithmetic stays float32).
 */
export function weightInitializers(g: OnnxGraph, weights: GlmWeights, config: GlmConfig) {
  const shapes = glmWeightShapes(config);
  const w = (name: string) => {
    const tensor = weights.get(name);
    if (!tensor) throw new Error(`missing weight ${name}`);
    return tensor;
  };
  const dims = (name: string) => {
    const known = shapes.get(name);
    if (!known) throw new Error(`weight ${name} is not part of this ${config.model_type} architecture`);
    return known;
  };
  const half = config.zhibing?.dtype === 'fp16';
  const added = new Map<string, string>();
  const tensor = (name: string, load: () => Float32Array, shape: number[]) => {
    // Vectors (norms, biases, GLM-4.5's correction bias, which transformers keeps in float32) stay float32.
    const asHalf = half && shape.length > 1;
    if (!added.has(name)) added.set(name, asHalf ? g.weightFloat16(name, load, shape) : g.weight(name, load, shape));
    return added.get(name)!;
  };
  return {
    w,
    dims,
    has: (name: string) => weights.has(name),
    tensor,
    linear: (name: string) => tensor(name, () => transpose(w(name)), [dims(name)[1], dims(name)[0]]),
    vector: (name: string) => tensor(name, () => w(name).data, dims(name)),
  };
}
