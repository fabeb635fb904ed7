import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelFolder, writeOptimumExport, writeSeededCheckpoint } from '@zhibing/kernels';
import { generateFromIds } from './id-generator';
import { OnnxEngine } from './onnx-engine';

/** Checkpoints with real names and keys, and what the numpy reference written from transformers says of them. */
const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'kernels', 'reference', 'fixtures');

describe.each(['glm', 'glm4', 'glm4_moe'])('a %s checkpoint without tokenizer files', (name) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `zhibing-ids-${name}-`));
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as {
    prompt: number[];
    max_tokens: number;
    ids: number[];
    logits: number[];
  };

  beforeAll(() => {
    buildModelFolder({ fromHf: path.join(FIXTURES, name), out, graph: 'fused', onWarning: () => undefined });
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('generates from ids what the reference generates: greedy ids exact, last-position logits within 1e-4', async () => {
    const result = await generateFromIds({ modelDir: out, ids: expected.prompt, maxTokens: expected.max_tokens });
    expect(result.ids).toEqual(expected.ids);
    expect(result.logits).toHaveLength(expected.logits.length);
    expect(Math.max(...result.logits.map((v, i) => Math.abs(v - expected.logits[i])))).toBeLessThan(1e-4);
  });

  it('refuses to serve text with a typed error, and bad ids with another', async () => {
    await expect(OnnxEngine.load({ modelDir: out })).rejects.toMatchObject({
      code: 'model_tokenizer_missing',
      message: expect.stringContaining('token ids only'),
    });
    await expect(generateFromIds({ modelDir: out, ids: [1, 128], maxTokens: 2 })).rejects.toMatchObject({
      code: 'prompt_invalid',
    });
  });
});

describe('generateFromIds picks the graph as the engine does', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-ids-export-'));
  const checkpoint = path.join(root, 'checkpoint');
  const own = path.join(root, 'own');
  const own16 = path.join(root, 'own-fp16');
  const exported = path.join(root, 'export');
  const prompt = [72, 101, 108, 108, 111];

  beforeAll(() => {
    writeSeededCheckpoint({ preset: 'tiny-dense', seed: 7, out: checkpoint });
    buildModelFolder({ fromHf: checkpoint, out: own, onWarning: () => undefined });
    buildModelFolder({ fromHf: checkpoint, out: own16, dtype: 'fp16', onWarning: () => undefined });
    writeOptimumExport({ fromHf: checkpoint, out: exported, dtypes: ['fp32', 'fp16', 'q4'] });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reads an Optimum export's onnx/model.onnx: the same ids and logits as our folder of the same weights", async () => {
    const ours = await generateFromIds({ modelDir: own, ids: prompt, maxTokens: 8 });
    const theirs = await generateFromIds({ modelDir: exported, ids: prompt, maxTokens: 8 });
    expect(theirs.ids).toEqual(ours.ids);
    expect(Math.max(...theirs.logits.map((v, i) => Math.abs(v - ours.logits[i])))).toBeLessThan(1e-5);
  });

  it('takes the fp16 graph (float16 cache and logits) by dtype, and the q4 graph by file', async () => {
    const half = await generateFromIds({ modelDir: exported, ids: prompt, maxTokens: 8, modelDtype: 'fp16' });
    expect(half.ids).toEqual((await generateFromIds({ modelDir: own16, ids: prompt, maxTokens: 8 })).ids);
    const q4 = await generateFromIds({
      modelDir: exported,
      ids: prompt,
      maxTokens: 8,
      modelFile: 'onnx/model_q4.onnx',
    });
    expect(q4.ids).toHaveLength(8);
    expect(q4.logits.every(Number.isFinite)).toBe(true);
    await expect(
      generateFromIds({ modelDir: exported, ids: prompt, maxTokens: 2, modelDtype: 'int8' }),
    ).rejects.toThrow(/model_int8\.onnx: missing/);
  });
});
