import type { OnnxGraph } from '../onnx/onnx-graph';
import type { GlmConfig } from './glm-config';
import type { GlmWeights } from './glm-weights';

/** [out, in] → [in, out], the layout ONNX MatMul takes. */
export function transpose(w: { data: Float32Array; dims: number[] }): Float32Array {
  const [rows, cols] = w.dims;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w.data[r * cols + c];
  return out;
}

/** Rotary tables cos/sin [max_positions, head_dim / 2] (rotate-half convention). */
export function rotaryTables(config: GlmConfig): { cos: Float32Array; sin: Float32Array } {
  const half = config.head_dim / 2;
  const cos = new Float32Array(config.max_position_embeddings * half);
  const sin = new Float32Array(config.max_position_embeddings * half);
  for (let p = 0; p < config.max_position_embeddings; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p / Math.pow(config.rope_theta, (2 * i) / config.head_dim);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

/** The decoder-with-past inputs every GLM graph declares (see README: I/O contract). */
export function declareDecoderInputs(g: OnnxGraph, config: GlmConfig) {
  const { num_key_value_heads: kvh, head_dim: d } = config;
  return {
    ids: g.input('input_ids', 'int64', ['batch', 'sequence']),
    mask: g.input('attention_mask', 'int64', ['batch', 'total_sequence']),
    positions: g.input('position_ids', 'int64', ['batch', 'sequence']),
    pasts: Array.from({ length: config.num_hidden_layers }, (_, i) => ({
      key: g.input(`past_key_values.${i}.key`, 'float32', ['batch', kvh, 'past_sequence', d]),
      value: g.input(`past_key_values.${i}.value`, 'float32', ['batch', kvh, 'past_sequence', d]),
    })),
  };
}

/** Weights as graph initializers: `linear` transposes [out, in] to MatMul's [in, out]. */
export function weightInitializers(g: OnnxGraph, weights: GlmWeights) {
  const w = (name: string) => {
    const tensor = weights.get(name);
    if (!tensor) throw new Error(`missing weight ${name}`);
    return tensor;
  };
  return {
    w,
    linear: (name: string) => g.weight(name, transpose(w(name)), [w(name).dims[1], w(name).dims[0]]),
    vector: (name: string) => g.weight(name, w(name).data, w(name).dims),
  };
}
