import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModelFolder, decoderFeeds } from '@zhibing/kernels';
import type { GenerationEvent, GenerationRequest } from '../engine.port';
import { collectEvents } from '../generation/collect-events';
import { OnnxEngine } from './onnx-engine';

const run = (engine: OnnxEngine, request: GenerationRequest) => collectEvents(engine.generate(request));

describe('OnnxEngine on the seeded tiny-moe model', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-engine-'));
  let engine: OnnxEngine;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: dir });
    engine = await OnnxEngine.load({ modelDir: dir });
  });
  afterAll(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports its capabilities from the folder', () => {
    expect(engine.capabilities).toEqual({
      blankInfilling: true,
      scoring: true,
      contextLength: 1024,
      promptFormat: 'glm',
    });
    expect(engine.name).toBe('onnx:tiny-moe');
  });

  it('a fixed seed gives the same text every run; another seed gives another', async () => {
    const request = {
      prompt: '谷爱凌是谁？',
      settings: { maxTokens: 24, temperature: 0.9, topK: 50, topP: 0.95, seed: 1 },
    };
    const a = await run(engine, request);
    const b = await run(engine, request);
    const c = await run(engine, { ...request, settings: { ...request.settings, seed: 2 } });
    expect(a.end.text).toBe(b.end.text);
    expect(a.deltas.join('')).toBe(a.end.text);
    expect(c.end.text).not.toBe(a.end.text);
    expect(a.end.usage).toEqual({
      promptTokens: Buffer.byteLength('谷爱凌是谁？'),
      completionTokens: expect.any(Number),
    });
  });

  it('greedy decoding with the KV cache gives the tokens of full recomputation', async () => {
    const prompt = 'Hello, 世界';
    const cached = await run(engine, { prompt, settings: { maxTokens: 12, temperature: 0 } });
    // The reference: no cache, the whole sequence recomputed at every step, straight on onnxruntime.
    const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')), {});
    const ids = tokenizer.encode(prompt, { add_special_tokens: false }).ids;
    const generated: number[] = [];
    for (let step = 0; step < cached.end.usage.completionTokens; step++) {
      const all = [...ids, ...generated];
      // Plain text (no [MASK]): the 2-D preset's positions are (t, 0), nothing bidirectional.
      const feeds = decoderFeeds(ort, config, all, null, 0);
      const logits = (await session.run(feeds)).logits.data as Float32Array;
      const last = logits.subarray(logits.length - config.vocab_size);
      let best = 0;
      for (let i = 1; i < last.length; i++) if (last[i] > last[best]) best = i;
      generated.push(best);
      if (config.eos_token_id.includes(best)) break;
    }
    expect(cached.end.text).toBe(tokenizer.decode(generated, { skip_special_tokens: true }));
    await session.release();
  });

  it('cancelling a stream ends it at once as cancelled and frees its cache and slot', async () => {
    const controller = new AbortController();
    const events: GenerationEvent[] = [];
    for await (const event of engine.generate({
      prompt: 'abc',
      settings: { maxTokens: 500, temperature: 0 },
      signal: controller.signal,
    })) {
      events.push(event);
      if (event.type === 'delta') controller.abort();
    }
    expect(events[events.length - 1]).toMatchObject({ type: 'end', finishReason: 'cancelled' });
    expect((events[events.length - 1] as { usage: { completionTokens: number } }).usage.completionTokens).toBeLessThan(
      20,
    );
    expect(engine.liveCaches).toBe(0);
    const next = await run(engine, { prompt: 'x', settings: { maxTokens: 3, temperature: 0 } });
    expect(next.end.finishReason).toMatch(/stop|length/);
  });

  it('batches concurrent requests into shared decode steps, each getting the text it gets alone', async () => {
    // Different prompt lengths and token limits, so sequences join and leave the batch at different steps.
    const prompts = ['故宫', '天坛的门票', 'Hello', '谷爱凌是谁？', 'a', '北京冬奥会'];
    const request = (prompt: string, i: number) => ({
      prompt,
      settings: { maxTokens: 6 + 3 * i, temperature: 0.7, seed: i, stop: [] },
    });
    const alone: string[] = [];
    for (const [i, prompt] of prompts.entries()) alone.push((await run(engine, request(prompt, i))).end.text);
    const before = engine.decodeSteps;
    const together = await Promise.all(prompts.map((prompt, i) => run(engine, request(prompt, i))));
    expect(together.map((r) => r.end.text)).toEqual(alone);
    const tokens = together.reduce((sum, r) => sum + r.end.usage.completionTokens, 0);
    expect(engine.decodeSteps - before).toBeLessThan(tokens / 2);
    expect(engine.liveCaches).toBe(0);
  });

  it('prefills arrivals within the prefill budget between decode steps, so decoding streams keep stepping', async () => {
    const budgeted = await OnnxEngine.load({ modelDir: dir, prefillTokensPerStep: 1 });
    const controller = new AbortController();
    const long = budgeted.generate({
      prompt: 'abc',
      settings: { maxTokens: 200, temperature: 0, stop: [], ignoreEos: true },
      signal: controller.signal,
    });
    const iterator = long[Symbol.asyncIterator]();
    await iterator.next(); // decoding has begun
    // Four arrivals at once, each done at its prefill: one per step with a budget of one prompt.
    const stepsAtEnd = await Promise.all(
      ['故宫', '天坛', '长城', '颐和园'].map(async (prompt) => {
        await run(budgeted, { prompt, settings: { maxTokens: 1, temperature: 0 } });
        return budgeted.decodeSteps;
      }),
    );
    expect(new Set(stepsAtEnd).size).toBe(4);
    controller.abort();
    while (!(await iterator.next()).done);
    await budgeted.close();
  });

  it('sequences joining and leaving a decoding batch get the text they get alone (its cache repacked in place)', async () => {
    const request = (prompt: string, i: number) => ({
      prompt,
      settings: { maxTokens: 10 + 7 * i, temperature: 0.7, seed: i, stop: [], ignoreEos: true },
    });
    const prompts = ['北京冬奥会', '故宫', 'Hello there', '天坛的门票'];
    const alone: string[] = [];
    for (const [i, prompt] of prompts.entries()) alone.push((await run(engine, request(prompt, i))).end.text);
    // The longest starts first; the others join while it decodes, one of them a step later again.
    const first = engine.generate(request(prompts[3], 3))[Symbol.asyncIterator]();
    const head = await first.next();
    const joined = [run(engine, request(prompts[0], 0)), run(engine, request(prompts[1], 1))];
    await new Promise((resolve) => setImmediate(resolve));
    joined.push(run(engine, request(prompts[2], 2)));
    let text = head.value.type === 'delta' ? head.value.text : '';
    for (let next = await first.next(); !next.done; next = await first.next())
      if (next.value.type === 'delta') text += next.value.text;
    expect([...(await Promise.all(joined)).map((r) => r.end.text), text]).toEqual(alone);
    expect(engine.liveCaches).toBe(0);
  });

  it('counts the tokens routed to each expert of each MoE layer', async () => {
    const before = engine.routingCounts();
    const { end } = await run(engine, {
      prompt: 'abcd',
      settings: { maxTokens: 5, temperature: 0, stop: [], ignoreEos: true },
    });
    const after = engine.routingCounts();
    expect(after.map((l) => l.layer)).toEqual([0, 1]);
    const routed = (layer: number) =>
      after[layer].counts.reduce((a, b) => a + b, 0) - (before[layer]?.counts.reduce((a, b) => a + b, 0) ?? 0);
    // Every token (4 prompt + 5 generated, the last one never fed back) picks top-2 experts in each layer.
    expect(routed(0)).toBe((4 + end.usage.completionTokens - 1) * 2);
    expect(routed(1)).toBe(routed(0));
  });

  it('runs the fused graph of the same model to the same text', async () => {
    const fusedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-engine-fused-'));
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: fusedDir, graph: 'fused' });
    const fused = await OnnxEngine.load({ modelDir: fusedDir });
    const request = { prompt: '故宫的门票', settings: { maxTokens: 12, temperature: 0, stop: [], ignoreEos: true } };
    // Two sequences of different lengths decode together (right-padded rows for GroupQueryAttention).
    const before = fused.decodeSteps;
    const [a, b] = await Promise.all([run(fused, request), run(fused, { ...request, prompt: '天坛' })]);
    expect(fused.decodeSteps - before).toBeLessThan(a.end.usage.completionTokens + b.end.usage.completionTokens - 2);
    expect(a.end.text).toBe((await run(engine, request)).end.text);
    expect(b.end.text).toBe((await run(engine, { ...request, prompt: '天坛' })).end.text);
    await fused.close();
    fs.rmSync(fusedDir, { recursive: true, force: true });
  });

  it('scores a continuation as a sum of log-probabilities', async () => {
    const score = await engine.score('故宫', '的门票');
    expect(score).toBeLessThan(0);
    expect(Number.isFinite(score)).toBe(true);
    expect(await engine.score('故宫', '的门票')).toBe(score);
  });

  it('asking for CUDA without the CUDA build of onnxruntime-node fails with a clear typed error', async () => {
    // On a machine with the CUDA build and a GPU this loads instead; CI machines have neither.
    const loaded = await OnnxEngine.load({ modelDir: dir, device: 'cuda' }).then(
      async (cuda) => {
        await cuda.close();
        return null;
      },
      (error: unknown) => error,
    );
    if (loaded !== null)
      expect(loaded).toMatchObject({
        code: 'engine_device_unavailable',
        message: expect.stringContaining('ZHIBING_DEVICE=cuda'),
      });
  });

  it('a folder missing a file or with a wrong shape fails with a clear error naming the file', async () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-broken-'));
    buildModelFolder({ preset: 'tiny-dense', seed: 1, out: broken });
    fs.rmSync(path.join(broken, 'tokenizer.json'));
    await expect(OnnxEngine.load({ modelDir: broken })).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringContaining('tokenizer.json: missing'),
    });

    buildModelFolder({ preset: 'tiny-dense', seed: 1, out: broken });
    const config = JSON.parse(fs.readFileSync(path.join(broken, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 3 }));
    await expect(OnnxEngine.load({ modelDir: broken })).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringMatching(/model\.onnx: has 2 layers .* num_hidden_layers = 3/),
    });

    fs.writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ...config, head_dim: 'big' }));
    await expect(OnnxEngine.load({ modelDir: broken })).rejects.toMatchObject({
      message: expect.stringContaining('config.json: head_dim'),
    });
    fs.rmSync(broken, { recursive: true, force: true });
  });
});
