import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { buildModelFolder } from '@zhibing/kernels';
import type { GenerationRequest } from '../engine.port';
import { collectEvents } from '../generation/collect-events';
import { OnnxEngine } from './onnx-engine';

const run = (engine: OnnxEngine, request: GenerationRequest) => collectEvents(engine.generate(request));

/** Prompts of 2 to 14 tokens (byte-level: a CJK character is 3), so rows are padded differently. */
const PROMPTS = ['故宫的门票多少钱？', 'Hi', '天坛', '北京冬奥会'];

const greedy = (prompt: string): GenerationRequest => ({
  prompt,
  settings: { maxTokens: 10, temperature: 0, stop: [], ignoreEos: true },
});
const sampled = (prompt: string, seed: number): GenerationRequest => ({
  prompt,
  settings: { maxTokens: 10, temperature: 0.8, topK: 20, seed, stop: [], ignoreEos: true },
});

/** Runs requests arriving at once; returns their texts and the prefill calls they took. */
async function together(engine: OnnxEngine, requests: GenerationRequest[]) {
  const before = engine.prefillCalls;
  const results = await Promise.all(requests.map((request) => run(engine, request)));
  return { texts: results.map((r) => r.end.text), prefillCalls: engine.prefillCalls - before };
}

describe('OnnxEngine: batched prefill on the fused graph (right-padded prompts, logits per row)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-fused-prefill-'));
  let engine: OnnxEngine;
  let oneByOne: OnnxEngine;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: dir, graph: 'fused' });
    engine = await OnnxEngine.load({ modelDir: dir });
    oneByOne = await OnnxEngine.load({ modelDir: dir, batchedPrefill: false });
  });
  afterAll(async () => {
    await engine.close();
    await oneByOne.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prefills prompts of different lengths arriving together in one call, to the texts of one by one', async () => {
    const alone: string[] = [];
    for (const prompt of PROMPTS) alone.push((await run(engine, greedy(prompt))).end.text);
    const batched = await together(engine, PROMPTS.map(greedy));
    const sequential = await together(oneByOne, PROMPTS.map(greedy));
    expect(batched.prefillCalls).toBe(1);
    expect(sequential.prefillCalls).toBe(PROMPTS.length);
    expect(batched.texts).toEqual(alone);
    expect(sequential.texts).toEqual(alone);
  });

  it('gives seeded sampling the same tokens as one-by-one prefill (same logits for every row)', async () => {
    const requests = PROMPTS.map((prompt, i) => sampled(prompt, 40 + i));
    const batched = await together(engine, requests);
    const sequential = await together(oneByOne, requests);
    expect(batched.prefillCalls).toBe(1);
    expect(batched.texts).toEqual(sequential.texts);
  });

  it('counts in the MoE routing the real tokens of right-padded rows, as one-by-one prefill does', async () => {
    const requests = ['Hi', 'Hello'].map((prompt) => ({ ...greedy(prompt), settings: { maxTokens: 1 } }));
    /** Tokens each expert of each layer got from these requests (a one-token reply is never fed back). */
    const routed = async (e: OnnxEngine) => {
      const before = e.routingCounts();
      const { prefillCalls } = await together(e, requests);
      const counts = e.routingCounts().map((l, i) => l.counts.map((c, x) => c - (before[i]?.counts[x] ?? 0)));
      return { prefillCalls, counts };
    };
    const batched = await routed(engine);
    const sequential = await routed(oneByOne);
    expect([batched.prefillCalls, sequential.prefillCalls]).toEqual([1, 2]);
    expect(batched.counts).toEqual(sequential.counts);
    // 2 + 5 prompt tokens, top-2 experts each, in every layer.
    expect(batched.counts.map((layer) => layer.reduce((a, b) => a + b, 0))).toEqual([14, 14]);
  });
});

describe('OnnxEngine: a bad prompt in a batched fused prefill', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-fused-prefill-bad-'));
  let engine: OnnxEngine;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: dir, graph: 'fused' });
    // A special token the tokenizer knows but the model's embedding has no row for: onnxruntime
    // fails any call that feeds it.
    const file = path.join(dir, 'tokenizer.json');
    const tokenizer = JSON.parse(fs.readFileSync(file, 'utf8'));
    const vocabSize = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).vocab_size;
    tokenizer.added_tokens.push({ ...tokenizer.added_tokens[0], id: vocabSize + 3, content: '<|bad|>' });
    tokenizer.model.vocab['<|bad|>'] = vocabSize + 3;
    fs.writeFileSync(file, JSON.stringify(tokenizer));
    engine = await OnnxEngine.load({ modelDir: dir });
  });
  afterAll(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails only itself: the prompts batched with it are prefilled again one by one and answer as alone', async () => {
    const alone: string[] = [];
    for (const prompt of PROMPTS) alone.push((await run(engine, greedy(prompt))).end.text);
    const requests = [...PROMPTS.slice(0, 2), '<|bad|>故宫', ...PROMPTS.slice(2)].map(greedy);
    const settled = await Promise.allSettled(requests.map((request) => run(engine, request)));
    const bad = settled[2];
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: 'engine_failed' });
    const good = settled.filter((s) => s.status === 'fulfilled').map((s) => s.value.end.text);
    expect(good).toEqual(alone);
    expect(engine.liveCaches).toBe(0);
  });
});

describe('OnnxEngine: a fused graph built before per-row logits', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-fused-prefill-old-'));
  let engine: OnnxEngine;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: dir, graph: 'fused' });
    // Such a graph has no logits_column output (and takes the last column's logits).
    const file = path.join(dir, 'model.onnx');
    const model = onnx.ModelProto.decode(fs.readFileSync(file));
    model.graph!.output = model.graph!.output!.filter((o) => o.name !== 'logits_column');
    fs.writeFileSync(file, onnx.ModelProto.encode(model).finish());
    engine = await OnnxEngine.load({ modelDir: dir });
  });
  afterAll(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prefills one prompt per call, to the same continuations', async () => {
    const alone: string[] = [];
    for (const prompt of PROMPTS) alone.push((await run(engine, greedy(prompt))).end.text);
    const batched = await together(engine, PROMPTS.map(greedy));
    expect(batched.prefillCalls).toBe(PROMPTS.length);
    expect(batched.texts).toEqual(alone);
  });
});
