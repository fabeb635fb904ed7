import type * as ort from 'onnxruntime-node';
import { type BlankInfillingLayout, glmPosition2d, inContext } from '../glm/glm-blank-infilling';
import { type GlmConfig, twoDimensionalPositions } from '../glm/glm-config';

/**
 * Feeds for one unpadded sequence (batch 1): new ids at positions pastLen…, the mask, and the
 * past KV taken from a previous run's `present.*` outputs (empty when `past` is null). For a 2-D
 * model, positions and the prefix mask follow `layout` (null: plain text). For tests and
 * benchmarks that drive a graph directly; `ortModule` is passed in so kernels itself never loads
 * onnxruntime.
 */
export function decoderFeeds(
  ortModule: typeof ort,
  config: GlmConfig,
  ids: number[],
  past: Record<string, ort.Tensor> | null,
  pastLen: number,
  layout: BlankInfillingLayout | null = null,
): Record<string, ort.Tensor> {
  const total = pastLen + ids.length;
  const int64 = (values: number[], dims: number[]) =>
    new ortModule.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64(ids, [1, ids.length]),
    attention_mask: int64(Array(total).fill(1), [1, total]),
  };
  if (twoDimensionalPositions(config)) {
    const positions = ids.map((_, i) => glmPosition2d(layout, pastLen + i));
    feeds.position_ids = int64([...positions.map((p) => p[0]), ...positions.map((p) => p[1])], [1, 2, ids.length]);
    feeds.prefix_mask = int64(
      Array.from({ length: total }, (_, t) => (inContext(layout, t) ? 1 : 0)),
      [1, total],
    );
  } else {
    feeds.position_ids = int64(
      ids.map((_, i) => pastLen + i),
      [1, ids.length],
    );
  }
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const kind of ['key', 'value']) {
      const emptyDims = [1, config.num_key_value_heads, 0, config.head_dim];
      const empty = new ortModule.Tensor('float32', new Float32Array(0), emptyDims);
      feeds[`past_key_values.${i}.${kind}`] = past?.[`present.${i}.${kind}`] ?? empty;
    }
  }
  return feeds;
}
