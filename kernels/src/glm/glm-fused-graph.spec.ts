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

    it('prefills right-padded prompts of different lengths in one call: each row as alone, decoding on', async () => {
      const prompts = [[20, 31, 42, 53, 64, 75, 86], [7, 8], [100, 101, 102, 103], [55]];
      const width = Math.max(...prompts.map((p) => p.length));
      const rows = prompts.length;
      const { num_key_value_heads: kvh, head_dim: d, vocab_size: vocab } = config;
      const pad = (p: number[]) => Array<number>(width - p.length).fill(0);
      const padded = (row: (p: number[]) => number[]) =>
        new ort.Tensor('int64', BigInt64Array.from(prompts.flatMap(row).map(BigInt)), [rows, width]);
      const batch: Record<string, ort.Tensor> = {
        input_ids: padded((p) => [...p, ...pad(p)]),
        attention_mask: padded((p) => [...p.map(() => 1), ...pad(p)]),
        position_ids: padded((p) => [...p.map((_, i) => i), ...pad(p)]),
      };
      const emptyPast = new ort.Tensor('float32', new Float32Array(0), [rows, kvh, 0, d]);
      for (let i = 0; i < config.num_hidden_layers; i++) {
        batch[`past_key_values.${i}.key`] = emptyPast;
        batch[`past_key_values.${i}.value`] = emptyPast;
      }
      const together = await fused.run(batch);
      const columns = Array.from(together.logits_column.data as BigInt64Array, Number);
      expect(columns).toEqual(prompts.map((p) => p.length - 1));
      /** Row b's first `length` positions of a [rows, kvh, width, d] present tensor, as a batch-1 past. */
      const kvRow = (t: ort.Tensor, b: number, length: number) => {
        const data = t.data as Float32Array;
        const out = new Float32Array(kvh * length * d);
        for (let h = 0; h < kvh; h++) {
          const from = (b * kvh + h) * width * d;
          out.set(data.subarray(from, from + length * d), h * length * d);
        }
        return new ort.Tensor('float32', out, [1, kvh, length, d]);
      };
      let worst = 0;
      for (const [b, prompt] of prompts.entries()) {
        const alone = await fused.run(feeds(config, prompt, null, 0));
        const row = (together.logits.data as Float32Array).subarray(b * vocab, (b + 1) * vocab);
        worst = Math.max(worst, maxDiff(row, alone.logits.data as Float32Array));
        // The row's present KV (its first prompt.length positions) continues decoding as its own would.
        const own: Record<string, ort.Tensor> = {};
        for (let i = 0; i < config.num_hidden_layers; i++)
          for (const kind of ['key', 'value'])
            own[`present.${i}.${kind}`] = kvRow(together[`present.${i}.${kind}`], b, prompt.length);
        const next = await fused.run(feeds(config, [99], own, prompt.length));
        const nextAlone = await fused.run(feeds(config, [99], alone, prompt.length));
        worst = Math.max(worst, maxDiff(next.logits.data as Float32Array, nextAlone.logits.data as Float32Array));
      }
      console.log(`${preset}: max |batched − alone| prefill and next step ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-4);
    });
  },
);
