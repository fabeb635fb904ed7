import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelFolder } from '@zhibing/kernels';
import type { Engine, GenerationEvent, GenerationRequest } from '../../engine.port';
import { collectEvents } from '../../generation/collect-events';
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
});
