import * as ort from 'onnxruntime-node';

/** The shape of a decoder-with-past graph that a bare loop needs. */
export interface DecoderShape {
  num_hidden_layers: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
}

/**
 * The least a caller of onnxruntime can do to decode greedily: one `session.run` per token, the
 * step's present fed back as the next past, argmax of the last logits. No batching, sampling,
 * streaming or cancellation: the baseline the engine's decode rate is compared against.
 * Returns the milliseconds of `steps` decode steps after one prefill of `promptIds`.
 */
export async function bareDecodeMs(
  session: ort.InferenceSession,
  shape: DecoderShape,
  promptIds: number[],
  steps: number,
): Promise<number> {
  const { num_hidden_layers: layers, num_key_value_heads: kvh, head_dim: d, vocab_size: vocab } = shape;
  const positions = session.inputNames.includes('position_ids');
  let past: Record<string, ort.Tensor> = {};
  for (let i = 0; i < layers; i++) {
    for (const kind of ['key', 'value']) {
      past[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, kvh, 0, d]);
    }
  }
  const step = async (ids: number[], start: number): Promise<number> => {
    const total = start + ids.length;
    const feeds: Record<string, ort.Tensor> = {
      ...past,
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (positions) {
      feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(start + i))), [
        1,
        ids.length,
      ]);
    }
    const out = await session.run(feeds);
    past = {};
    for (let i = 0; i < layers; i++) {
      for (const kind of ['key', 'value']) past[`past_key_values.${i}.${kind}`] = out[`present.${i}.${kind}`];
    }
    const logits = out.logits.data as Float32Array;
    let best = logits.length - vocab;
    for (let j = best + 1; j < logits.length; j++) if (logits[j] > logits[best]) best = j;
    return best - (logits.length - vocab);
  };
  let next = await step(promptIds, 0);
  const started = performance.now();
  for (let s = 0; s < steps; s++) next = await step([next], promptIds.length + s);
  return performance.now() - started;
}
