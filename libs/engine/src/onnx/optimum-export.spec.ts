import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModelFolder, writeOptimumExport, writeSeededCheckpoint } from '@zhibing/kernels';
import type { GenerationRequest } from '../engine.port';
import { collectEvents } from '../generation/collect-events';
import { readModelFolder } from './model-folder';
import { OnnxEngine } from './onnx-engine';

const run = (engine: OnnxEngine, request: GenerationRequest) => collectEvents(engine.generate(request));

/** Greedy, fixed length: every token counts, none is cut by a stop. */
const greedy = (prompt: string, maxTokens = 16): GenerationRequest => ({
  prompt,
  settings: { maxTokens, temperature: 0, stop: [], ignoreEos: true },
});

const PROMPTS = ['故宫的门票', 'Hello', '谷爱凌是谁？'];

/** Each prompt alone, then all together (one left-padded batch): texts and token counts. */
async function outputs(engine: OnnxEngine) {
  const alone = [];
  for (const prompt of PROMPTS) alone.push((await run(engine, greedy(prompt))).end);
  const together = (await Promise.all(PROMPTS.map((prompt) => run(engine, greedy(prompt))))).map((r) => r.end);
  return {
    alone: alone.map((e) => [e.text, e.usage.completionTokens]),
    together: together.map((e) => [e.text, e.usage.completionTokens]),
  };
}

describe('an Optimum / onnx-community export of the seeded tiny-dense model', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-optimum-'));
  const checkpoint = path.join(root, 'checkpoint');
  const own32 = path.join(root, 'own-fp32');
  const own16 = path.join(root, 'own-fp16');
  const exported = path.join(root, 'export');

  beforeAll(() => {
    // One checkpoint, built both ways: our folder (`model build --from-hf`) and an export.
    writeSeededCheckpoint({ preset: 'tiny-dense', seed: 7, out: checkpoint });
    const quiet = { onWarning: () => undefined };
    buildModelFolder({ fromHf: checkpoint, out: own32, ...quiet });
    buildModelFolder({ fromHf: checkpoint, out: own16, dtype: 'fp16', ...quiet });
    writeOptimumExport({ fromHf: checkpoint, out: exported, dtypes: ['fp32', 'fp16', 'q4'] });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is told apart from our own folders, and its graph file is chosen by preference, dtype or name', () => {
    expect(readModelFolder(own32)).toMatchObject({ layout: 'zhibing', modelPath: path.join(own32, 'model.onnx') });
    expect(readModelFolder(exported)).toMatchObject({
      layout: 'optimum',
      modelPath: path.join(exported, 'onnx', 'model.onnx'),
    });
    expect(readModelFolder(exported, { dtype: 'fp16' }).modelPath).toBe(path.join(exported, 'onnx', 'model_fp16.onnx'));
    expect(readModelFolder(exported, { file: 'onnx/model_fp16.onnx' }).modelPath).toBe(
      path.join(exported, 'onnx', 'model_fp16.onnx'),
    );
    expect(() => readModelFolder(exported, { dtype: 'int8' })).toThrow(/model_int8\.onnx: missing/);
  });

  it('without fp32 the fp16 graph is taken; without any graph the error lists the names looked for', () => {
    const partial = path.join(root, 'partial');
    fs.cpSync(exported, partial, { recursive: true });
    fs.rmSync(path.join(partial, 'onnx', 'model.onnx'));
    expect(readModelFolder(partial).modelPath).toBe(path.join(partial, 'onnx', 'model_fp16.onnx'));
    fs.rmSync(path.join(partial, 'onnx', 'model_fp16.onnx'));
    expect(readModelFolder(partial).modelPath).toBe(path.join(partial, 'onnx', 'model_q4.onnx'));
    fs.rmSync(path.join(partial, 'onnx', 'model_q4.onnx'));
    expect(() => readModelFolder(partial)).toThrow(/onnx: has none of the graph files model\.onnx, model_fp16\.onnx/);
  });

  it('fp32: greedy output equals our own-layout model with the same weights, alone and batched', async () => {
    const own = await OnnxEngine.load({ modelDir: own32 });
    const optimum = await OnnxEngine.load({ modelDir: exported });
    const expected = await outputs(own);
    expect(expected.together).toEqual(expected.alone);
    expect(await outputs(optimum)).toEqual(expected);
    expect(optimum.liveCaches).toBe(0);
    expect(await optimum.score('故宫', '的门票')).toBeCloseTo(await own.score('故宫', '的门票'), 4);
    await own.close();
    await optimum.close();
  });

  it('fp16 (float16 cache and logits): greedy output equals our own fp16-weight model, alone and batched', async () => {
    const own = await OnnxEngine.load({ modelDir: own16 });
    const optimum = await OnnxEngine.load({ modelDir: exported, modelDtype: 'fp16' });
    expect(await outputs(optimum)).toEqual(await outputs(own));
    await own.close();
    await optimum.close();
  });

  it('q4 (MatMulNBits weights, float32 I/O): generates every token, alone and batched to the same text', async () => {
    const q4 = await OnnxEngine.load({ modelDir: exported, modelDtype: 'q4' });
    const result = await outputs(q4);
    expect(result.together).toEqual(result.alone);
    expect(result.alone.every(([, tokens]) => tokens === 16)).toBe(true);
    await q4.close();
  });

  it('a GroupQueryAttention export (onnxruntime-genai style) is right-padded, decodes as our fused graph', async () => {
    const ownFused = path.join(root, 'own-fused');
    const fusedExport = path.join(root, 'export-fused');
    buildModelFolder({ fromHf: checkpoint, out: ownFused, graph: 'fused', onWarning: () => undefined });
    writeOptimumExport({ fromHf: checkpoint, out: fusedExport, graph: 'fused', dtypes: ['fp16'] });
    expect(readModelFolder(fusedExport)).toMatchObject({ layout: 'optimum', padding: 'right' });
    expect(readModelFolder(exported).padding).toBe('left');
    const own = await OnnxEngine.load({ modelDir: ownFused });
    const optimum = await OnnxEngine.load({ modelDir: fusedExport });
    const expected = await outputs(own);
    const prefills = optimum.prefillCalls;
    expect(await outputs(optimum)).toEqual(expected);
    // Its logits of every position give each right-padded row its own last token's: the prompts
    // arriving together share one prefill call (one call each alone, then one).
    expect(optimum.prefillCalls - prefills).toBe(PROMPTS.length + 1);
    // Same weights, same greedy text as the naive graph (fused ops agree to ≈ 1e-6).
    const naive = await OnnxEngine.load({ modelDir: own32 });
    expect(expected).toEqual(await outputs(naive));
    await Promise.all([own.close(), optimum.close(), naive.close()]);
  });

  it('an export without position_ids (positions from the mask) gives the same greedy output', async () => {
    const noPositions = path.join(root, 'export-no-positions');
    writeOptimumExport({ fromHf: checkpoint, out: noPositions, dtypes: ['fp32'], positionIds: false });
    const session = await ort.InferenceSession.create(path.join(noPositions, 'onnx', 'model.onnx'));
    expect(session.inputNames).not.toContain('position_ids');
    await session.release();
    const optimum = await OnnxEngine.load({ modelDir: noPositions });
    const own = await OnnxEngine.load({ modelDir: own32 });
    expect(await outputs(optimum)).toEqual(await outputs(own));
    await Promise.all([own.close(), optimum.close()]);
  });
});
