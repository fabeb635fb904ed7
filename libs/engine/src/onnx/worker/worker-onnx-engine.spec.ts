import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelFolder } from '@zhibing/kernels';
import type { Engine, GenerationEvent, GenerationRequest } from '../../engine.port';
import { collectEvents } from '../../generation/collect-events';
import { generateFromIds } from '../id-generator';
import { OnnxEngine } from '../onnx-engine';
import { WorkerOnnxEngine } from './worker-onnx-engine';

const run = (engine: Engine, request: GenerationRequest) => collectEvents(engine.generate(request));

/** Consumes a stream until it ends or fails; returns the deltas seen and how it ended. */
async function drain(events: AsyncIterable<GenerationEvent>, onDelta?: () => void) {
  const deltas: string[] = [];
  try {
    for await (const event of events) {
      if (event.type === 'delta') {
        deltas.push(event.text);
        onDelta?.();
      } else return { deltas, end: event, error: null };
    }
  } catch (error) {
    return { deltas, end: null, error: error as { code: string; message: string } };
  }
  throw new Error('the stream ended without an end event or an error');
}

describe('WorkerOnnxEngine: the tiny-moe model in a worker process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-worker-engine-'));
  let engine: WorkerOnnxEngine;
  let local: OnnxEngine;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: dir });
    [engine, local] = await Promise.all([WorkerOnnxEngine.load({ modelDir: dir }), OnnxEngine.load({ modelDir: dir })]);
  });
  afterAll(async () => {
    await engine?.close();
    await local?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is the same engine for callers: name, capabilities, token counts, text, scores', async () => {
    expect(engine.name).toBe(local.name);
    expect(engine.capabilities).toEqual(local.capabilities);
    expect(engine.countTokens('谷爱凌是谁？[MASK]')).toBe(local.countTokens('谷爱凌是谁？[MASK]'));
    const request = { prompt: '谷爱凌是谁？', settings: { maxTokens: 24, temperature: 0.9, topK: 50, seed: 3 } };
    const [inWorker, inline] = await Promise.all([run(engine, request), run(local, request)]);
    expect(inWorker.end.text).toBe(inline.end.text);
    expect(inWorker.deltas.join('')).toBe(inWorker.end.text);
    expect(inWorker.end.usage).toEqual(inline.end.usage);
    expect(await engine.score('故宫', '的门票')).toBe(await local.score('故宫', '的门票'));
  });

  it('batches concurrent requests into shared decode steps in the worker', async () => {
    const prompts = ['故宫', '天坛的门票', 'Hello', '谷爱凌是谁？', 'a', '北京冬奥会'];
    const request = (prompt: string, i: number) => ({
      prompt,
      settings: { maxTokens: 6 + 3 * i, temperature: 0.7, seed: i, stop: [] },
    });
    const before = await engine.stats();
    const together = await Promise.all(prompts.map((prompt, i) => run(engine, request(prompt, i))));
    const after = await engine.stats();
    const alone = await Promise.all(prompts.map((prompt, i) => run(local, request(prompt, i))));
    expect(together.map((r) => r.end.text)).toEqual(alone.map((r) => r.end.text));
    const tokens = together.reduce((sum, r) => sum + r.end.usage.completionTokens, 0);
    expect(after.decodeSteps - before.decodeSteps).toBeLessThan(tokens / 2);
    expect(after.liveCaches).toBe(0);
    const routed = (stats: typeof after) => stats.routing[0]?.counts.reduce((a, b) => a + b, 0) ?? 0;
    expect(routed(after)).toBeGreaterThan(routed(before));
  });

  it('cancelling ends the stream as cancelled and frees its cache in the worker', async () => {
    const controller = new AbortController();
    const result = await drain(
      engine.generate({ prompt: 'abc', settings: { maxTokens: 500, temperature: 0 }, signal: controller.signal }),
      () => controller.abort(),
    );
    expect(result.end).toMatchObject({ type: 'end', finishReason: 'cancelled' });
    expect(result.end!.type === 'end' && result.end!.usage.completionTokens).toBeLessThan(50);
    expect((await engine.stats()).liveCaches).toBe(0);
  });

  it('bad requests get the same typed errors across the process boundary', async () => {
    const long = { prompt: 'x'.repeat(2000), settings: { maxTokens: 4 } };
    await expect(run(engine, long)).rejects.toMatchObject({ code: 'prompt_too_large', name: 'EngineError' });
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-worker-broken-'));
    buildModelFolder({ preset: 'tiny-dense', seed: 1, out: broken });
    const config = JSON.parse(fs.readFileSync(path.join(broken, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 3 }));
    await expect(WorkerOnnxEngine.load({ modelDir: broken })).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringMatching(/model\.onnx: has 2 layers .* num_hidden_layers = 3/),
    });
    fs.rmSync(broken, { recursive: true, force: true });
  });

  it('a worker that dies mid-stream fails every reply in flight with engine_failed, and a new worker answers', async () => {
    const request = (seed: number) => ({
      prompt: '讲个长故事',
      settings: { maxTokens: 400, temperature: 0.8, seed, stop: [], ignoreEos: true },
    });
    let seen = 0;
    let killed: Promise<void> | null = null;
    // Kill the worker once every stream has streamed something: all three are mid-reply.
    const streams = [1, 2, 3].map((seed) => {
      let first = true;
      return drain(engine.generate(request(seed)), () => {
        if (first && ++seen === 3) killed = engine.restart();
        first = false;
      });
    });
    const results = await Promise.all(streams);
    await killed;
    for (const result of results) {
      expect(result.deltas.length).toBeGreaterThan(0);
      expect(result.end).toBeNull();
      expect(result.error).toMatchObject({ code: 'engine_failed', message: expect.stringContaining('worker stopped') });
    }
    // The restarted worker takes new work, with the same results as before.
    const again = { prompt: '故宫', settings: { maxTokens: 10, temperature: 0 } };
    expect((await run(engine, again)).end.text).toBe((await run(local, again)).end.text);
    expect((await engine.stats()).liveCaches).toBe(0);
  });

  it('a worker that cannot restart fails requests with its load error, without a restart loop, until the folder is back', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-worker-moved-'));
    buildModelFolder({ preset: 'tiny-dense', seed: 1, out: copy });
    const moved = `${copy}-away`;
    const restartable = await WorkerOnnxEngine.load({ modelDir: copy });
    try {
      fs.renameSync(copy, moved);
      await expect(restartable.restart()).rejects.toMatchObject({ code: 'model_invalid' });
      const request = { prompt: 'abc', settings: { maxTokens: 3, temperature: 0, stop: [], ignoreEos: true } };
      await expect(run(restartable, request)).rejects.toMatchObject({ code: 'model_invalid' });
      fs.renameSync(moved, copy);
      expect((await run(restartable, request)).end.usage.completionTokens).toBe(3);
    } finally {
      await restartable.close();
      fs.rmSync(copy, { recursive: true, force: true });
      fs.rmSync(moved, { recursive: true, force: true });
    }
  });

  it('a model that emits NUL and invalid UTF-8 through the worker: the reply ends, its text valid and NUL-free', async () => {
    // The tokenizer is permuted so that tokens the model greedily emits after "abc" decode to the
    // byte 0x00 and to 0xFF (never valid UTF-8); the prompt's own bytes keep their ids.
    const odd = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-worker-odd-'));
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: odd });
    const prompt = [97, 98, 99];
    const { ids } = await generateFromIds({ modelDir: odd, ids: prompt, maxTokens: 16 });
    const emitted = [...new Set(ids)].filter((id) => id < 256 && ![0, 255, ...prompt].includes(id));
    expect(emitted.length).toBeGreaterThanOrEqual(2);
    const file = path.join(odd, 'tokenizer.json');
    const tokenizer = JSON.parse(fs.readFileSync(file, 'utf8'));
    const vocab = tokenizer.model.vocab as Record<string, number>;
    const tokenOf = (id: number) => Object.keys(vocab).find((token) => vocab[token] === id)!;
    for (const [id, byte] of [
      [emitted[0], 0x00],
      [emitted[1], 0xff],
    ]) {
      const [a, b] = [tokenOf(id), tokenOf(byte)];
      [vocab[a], vocab[b]] = [byte, id];
    }
    fs.writeFileSync(file, JSON.stringify(tokenizer));
    const oddEngine = await WorkerOnnxEngine.load({ modelDir: odd });
    try {
      const settings = { maxTokens: 16, temperature: 0, stop: [], ignoreEos: true };
      const { end, deltas } = await run(oddEngine, { prompt: 'abc', settings });
      expect(end.usage.completionTokens).toBe(16);
      expect(end.text).not.toContain('\u0000');
      expect(end.text).toContain('\uFFFD');
      expect(end.text.isWellFormed()).toBe(true);
      expect(deltas.join('')).toBe(end.text);
    } finally {
      await oddEngine.close();
      fs.rmSync(odd, { recursive: true, force: true });
    }
  });
});
