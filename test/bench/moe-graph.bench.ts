import * as ort from 'onnxruntime-node';
import { buildGlmFusedGraph, buildGlmNaiveGraph, type GlmConfig, glmConfigSchema, PRESETS, seededGlmWeights } from '@zhibing/kernels';
import type { Bench } from './benches';
import { ms, percentile } from './stats';

function feeds(config: GlmConfig, ids: number[], past: Record<string, ort.Tensor> | null, pastLen: number): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(pastLen + ids.length).fill(1n), [1, pastLen + ids.length]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(pastLen + i))), [1, ids.length]),
  };
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const kind of ['key', 'value']) out[`past_key_values.${i}.${kind}`] = past?.[`present.${i}.${kind}`] ?? new ort.Tensor('float32', new Float32Array(0), [1, config.num_key_value_heads, 0, config.head_dim]);
  }
  return out;
}

/** Prefill of 64 tokens then 64 decode steps; returns per-run times and the final logits. */
async function measure(session: ort.InferenceSession, config: GlmConfig) {
  const prompt = Array.from({ length: 64 }, (_, i) => (i * 37) % 256);
  const prefill: number[] = [];
  const decode: number[] = [];
  let logits: Float32Array = new Float32Array(0);
  for (let round = 0; round < 5; round++) {
    let started = performance.now();
    let out = await session.run(feeds(config, prompt, null, 0));
    prefill.push(performance.now() - started);
    for (let step = 0; step < 64; step++) {
      started = performance.now();
      out = await session.run(feeds(config, [step % 200], out, prompt.length + step));
      decode.push(performance.now() - started);
    }
    logits = out.logits.data as Float32Array;
  }
  return { prefill: percentile(prefill, 50), decode: percentile(decode, 50), logits };
}

/** tiny-moe: the fused graph (com.microsoft GQA, SkipSimplifiedLayerNorm, MoE) vs the naive reference. */
export const moeGraphBench: Bench = {
  name: 'moe-graph',
  async run() {
    const config = glmConfigSchema.parse(PRESETS['tiny-moe']) as GlmConfig;
    const weights = seededGlmWeights(config, 7);
    const options = { intraOpNumThreads: 1 };
    const fused = await measure(await ort.InferenceSession.create(buildGlmFusedGraph(config, weights).toBytes(), options), config);
    const naive = await measure(await ort.InferenceSession.create(buildGlmNaiveGraph(config, weights).toBytes(), options), config);
    const diff = fused.logits.reduce((m, v, i) => Math.max(m, Math.abs(v - naive.logits[i])), 0);
    console.log(`max |fused − naive| logits after 64 cached decode steps: ${diff.toExponential(2)}  [≤ 1e-4]`);
    console.log(`prefill 64 tokens: fused ${ms(fused.prefill)}, naive ${ms(naive.prefill)}; naive/fused ${(naive.prefill / fused.prefill).toFixed(2)}x`);
    console.log(`decode step:       fused ${ms(fused.decode)}, naive ${ms(naive.decode)}; naive/fused ${(naive.decode / fused.decode).toFixed(2)}x`);
  },
};
