import * as ort from 'onnxruntime-node';
import {
  buildGlmFusedGraph,
  buildGlmNaiveGraph,
  decoderFeeds,
  type GlmConfig,
  glmConfigSchema,
  PRESETS,
  seededGlmWeights,
} from '@zhibing/kernels';
import type { Bench } from './benches';
import { ms, percentile } from './stats';

const feeds = (config: GlmConfig, ids: number[], past: Record<string, ort.Tensor> | null, pastLen: number) =>
  decoderFeeds(ort, config, ids, past, pastLen);

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
    // GroupQueryAttention is causal only: both graphs compute the preset with 1-D positions here.
    const config = glmConfigSchema.parse({ ...PRESETS['tiny-moe'], position_encoding: '1d' }) as GlmConfig;
    const weights = seededGlmWeights(config, 7);
    const options = { intraOpNumThreads: 1 };
    const fused = await measure(
      await ort.InferenceSession.create(buildGlmFusedGraph(config, weights).toBytes(), options),
      config,
    );
    const naive = await measure(
      await ort.InferenceSession.create(buildGlmNaiveGraph(config, weights).toBytes(), options),
      config,
    );
    const diff = fused.logits.reduce((m, v, i) => Math.max(m, Math.abs(v - naive.logits[i])), 0);
    console.log(`max |fused − naive| logits after 64 cached decode steps: ${diff.toExponential(2)}  [≤ 1e-4]`);
    console.log(
      `prefill 64 tokens: fused ${ms(fused.prefill)}, naive ${ms(naive.prefill)}; naive/fused ${(naive.prefill / fused.prefill).toFixed(2)}x`,
    );
    console.log(
      `decode step:       fused ${ms(fused.decode)}, naive ${ms(naive.decode)}; naive/fused ${(naive.decode / fused.decode).toFixed(2)}x`,
    );
  },
};
