import * as ort from 'onnxruntime-node';
import { decoderFeeds } from '../testing/decoder-feeds';
import { type BlankInfillingLayout, blankInfillingLayout, glmPosition2d } from './glm-blank-infilling';
import { GLM_SPECIAL_TOKENS, type GlmConfig, PRESETS } from './glm-config';
import { buildGlmFusedGraph } from './glm-fused-graph';
import { buildGlmNaiveGraph } from './glm-naive-graph';
import { seededGlmWeights } from './glm-weights';

const MASK = 256 + GLM_SPECIAL_TOKENS.indexOf('[MASK]');
const SOP = 256 + GLM_SPECIAL_TOKENS.indexOf('<sop>');
const TOKENS = { masks: [MASK], sop: SOP };
type Outputs = Record<string, ort.Tensor>;

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const argmax = (row: Float32Array) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);
/** Layer 1's keys at positions [from, to) of a [1, kvh, T, d] present: they depend on layer 0's outputs there. */
const keysAt = (out: Outputs, config: GlmConfig, from: number, to: number) => {
  const { num_key_value_heads: kvh, head_dim: d } = config;
  const present = out['present.1.key'];
  const total = present.dims[2];
  const data = present.data as Float32Array;
  const rows: number[] = [];
  for (let h = 0; h < kvh; h++) rows.push(...data.subarray((h * total + from) * d, (h * total + to) * d));
  return Float32Array.from(rows);
};

describe('GLM blank infilling layout', () => {
  it('puts span tokens at the mask position, numbered from 1 from <sop> on', () => {
    const layout = blankInfillingLayout([20, 31, MASK, 42, SOP], TOKENS)!;
    expect(layout).toEqual({ maskPosition: 2, spanStart: 4 });
    const positions = [0, 2, 3, 4, 5, 6].map((t) => glmPosition2d(layout, t));
    expect(positions).toEqual([
      [0, 0],
      [2, 0],
      [3, 0],
      [2, 1],
      [2, 2],
      [2, 3],
    ]);
    expect(blankInfillingLayout([20, 31, 42], TOKENS)).toBeNull();
    expect(glmPosition2d(null, 5)).toEqual([5, 0]);
    // No <sop> after the mask: the generated tokens are the span.
    expect(blankInfillingLayout([SOP, MASK, 42], TOKENS)).toEqual({ maskPosition: 1, spanStart: 3 });
  });
});

describe.each(['tiny-dense', 'tiny-moe'] as const)('GLM naive graph with 2-D positions, %s', (preset) => {
  const twoD = PRESETS[preset] as GlmConfig;
  const oneD = { ...twoD, position_encoding: '1d' } as GlmConfig;
  const sessions: Record<'twoD' | 'oneD', ort.InferenceSession> = {} as never;
  const context = [20, 31, MASK, 42, 53];

  beforeAll(async () => {
    const weights = seededGlmWeights(twoD, 7);
    sessions.twoD = await ort.InferenceSession.create(buildGlmNaiveGraph(twoD, weights).toBytes());
    sessions.oneD = await ort.InferenceSession.create(buildGlmNaiveGraph(oneD, weights).toBytes());
  });

  const run = (which: 'twoD' | 'oneD', ids: number[], layout: BlankInfillingLayout | null) =>
    sessions[which].run(decoderFeeds(ort, which === 'twoD' ? twoD : oneD, ids, null, 0, layout)) as Promise<Outputs>;

  it('lets a LATER context token change an EARLIER context position (bidirectional); causal 1-D cannot', async () => {
    const changed = [...context.slice(0, -1), 54];
    const [a, b] = [
      [...context, SOP],
      [...changed, SOP],
    ];
    const layoutA = blankInfillingLayout(a, TOKENS);
    const first = async (which: 'twoD' | 'oneD', ids: number[]) =>
      keysAt(await run(which, ids, which === 'twoD' ? layoutA : null), twoD, 0, 1);
    const bidirectional = maxDiff(await first('twoD', a), await first('twoD', b));
    const causal = maxDiff(await first('oneD', a), await first('oneD', b));
    expect(bidirectional).toBeGreaterThan(1e-3);
    expect(causal).toBe(0);
  });

  it('keeps the context blind to the span: Part B tokens never change Part A positions', async () => {
    const prompt = [...context, SOP];
    const layout = blankInfillingLayout(prompt, TOKENS);
    const withSpan = await run('twoD', [...prompt, 77, 88], layout);
    const otherSpan = await run('twoD', [...prompt, 99, 11], layout);
    const partA = (out: Outputs) => keysAt(out, twoD, 0, prompt.length);
    expect(maxDiff(partA(withSpan), partA(otherSpan))).toBeLessThan(1e-6);
  });

  it('decodes with the KV cache exactly as recomputing the whole sequence step by step', async () => {
    const prompt = [...context, SOP];
    const layout = blankInfillingLayout(prompt, TOKENS);
    let cached = await run('twoD', prompt, layout);
    const ids: number[] = [];
    let worst = 0;
    for (let step = 0; step < 6; step++) {
      const full = (await run('twoD', [...prompt, ...ids], layout)).logits.data as Float32Array;
      const logits = cached.logits.data as Float32Array;
      worst = Math.max(worst, maxDiff(logits, full));
      expect(argmax(logits)).toBe(argmax(full));
      ids.push(argmax(logits));
      const feeds = decoderFeeds(ort, twoD, [ids[ids.length - 1]], cached, prompt.length + step, layout);
      cached = (await sessions.twoD.run(feeds)) as Outputs;
    }
    expect(worst).toBeLessThanOrEqual(1e-5);
    expect(ids).toEqual(EXPECTED_SPAN[preset]);
  });

  it('is refused by the fused graph, by name', () => {
    expect(() => buildGlmFusedGraph(twoD, seededGlmWeights(twoD, 7))).toThrow(/position_encoding "2d".*causal only/);
  });
});

/** Seed 7's greedy span for `20 31 [MASK] 42 53 <sop>`; a change means the 2-D math or the weights changed. */
const EXPECTED_SPAN: Record<string, number[]> = {
  'tiny-dense': [263, 197, 45, 30, 99, 134],
  'tiny-moe': [102, 28, 91, 69, 195, 81],
};
