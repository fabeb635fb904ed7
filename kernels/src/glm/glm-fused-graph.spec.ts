import * as ort from 'onnxruntime-node';
import { type GlmConfig, glmConfigSchema, PRESETS } from './glm-config';
import { buildGlmFusedGraph } from './glm-fused-graph';
import { buildGlmNaiveGraph } from './glm-naive-graph';
import { seededGlmWeights } from './glm-weights';
import { decoderFeeds } from '../testing/decoder-feeds';

const feeds = (config: GlmConfig, ids: number[], past: Record<string, ort.Tensor> | null, pastLen: number) =>
  decoderFeeds(ort, config, ids, past, pastLen);

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.each(['tiny-dense', 'tiny-moe'] as const)(
  'fused GLM graph (com.microsoft ops) vs the naive reference, %s',
  (preset) => {
    // GroupQueryAttention is causal only: the fused graph computes the presets with 1-D positions.
    const config = glmConfigSchema.parse({ ...PRESETS[preset], position_encoding: '1d' }) as GlmConfig;
    let fused: ort.InferenceSession;
    let naive: ort.InferenceSession;

    beforeAll(async () => {
      const weights = seededGlmWeights(config, 7);
      fused = await ort.InferenceSession.create(buildGlmFusedGraph(config, weights).toBytes());
      naive = await ort.InferenceSession.create(buildGlmNaiveGraph(config, weights).toBytes());
    });

    it('agrees on logits within 1e-4, for a prompt and for decode steps with the KV cache', async () => {
      const prompt = [20, 31, 42, 53, 64, 75, 86];
      const f0 = await fused.run(feeds(config, prompt, null, 0));
      const n0 = await naive.run(feeds(config, prompt, null, 0));
      const prefillDiff = maxDiff(f0.logits.data as Float32Array, n0.logits.data as Float32Array);
      const f1 = await fused.run(feeds(config, [99], f0, prompt.length));
      const n1 = await naive.run(feeds(config, [99], n0, prompt.length));
      const decodeDiff = maxDiff(f1.logits.data as Float32Array, n1.logits.data as Float32Array);
      console.log(
        `${preset}: max |fused − naive| prefill ${prefillDiff.toExponential(2)}, decode ${decodeDiff.toExponential(2)}`,
      );
      expect(prefillDiff).toBeLessThanOrEqual(1e-4);
      expect(decodeDiff).toBeLessThanOrEqual(1e-4);
    });
  },
);
