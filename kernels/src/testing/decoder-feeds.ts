import type * as ort from 'onnxruntime-node';
import type { GlmConfig } from '../glm/glm-config';

/**
 * Feeds for one unpadded sequence (batch 1): new ids at positions pastLen…, the mask, and the
 * past KV taken from a previous run's `present.*` outputs (empty when `past` is null). For
 * tests and benchmarks that drive a graph directly; `ortModule` is passed in so kernels itself
 * never loads onnxruntime.
 */
export function decoderFeeds(ortModule: typeof ort, config: GlmConfig, ids: number[], past: Record<string, ort.Tensor> | null, pastLen: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ortModule.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    attention_mask: new ortModule.Tensor('int64', new BigInt64Array(pastLen + ids.length).fill(1n), [1, pastLen + ids.length]),
    position_ids: new ortModule.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(pastLen + i))), [1, ids.length]),
  };
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${i}.${kind}`] = past?.[`present.${i}.${kind}`] ?? new ortModule.Tensor('float32', new Float32Array(0), [1, config.num_key_value_heads, 0, config.head_dim]);
    }
  }
  return feeds;
}
