import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelFolder, writeSeededCheckpoint } from '@zhibing/kernels';
import type { GenerationRequest } from '../engine.port';
import { collectEvents } from '../generation/collect-events';
import { generateFromIds } from './id-generator';
import { OnnxEngine } from './onnx-engine';

/** Greedy, fixed length: every token counts, none is cut by a stop. */
const greedy = (prompt: string): GenerationRequest => ({
  prompt,
  settings: { maxTokens: 12, temperature: 0, stop: [], ignoreEos: true },
});
const PROMPTS = ['故宫的门票', 'Hello', '谷爱凌是谁？'];

/**
 * Folders built with `--quantize` (MatMulNBits projections; QMoE experts in the fused graph) from a
 * seeded tiny-moe checkpoint with a tokenizer: the engine loads them and serves text, alone and
 * batched, as it does float folders.
 */
describe.each([
  ['naive', 'int4'],
  ['naive', 'int8'],
  ['fused', 'int4'],
  ['fused', 'int8'],
] as const)('a %s tiny-moe folder quantized %s', (graph, quantize) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `zhibing-quantized-${graph}-${quantize}-`));
  const checkpoint = path.join(root, 'checkpoint');
  const out = path.join(root, 'model');

  beforeAll(() => {
    writeSeededCheckpoint({ preset: 'tiny-moe', seed: 7, out: checkpoint });
    buildModelFolder({ fromHf: checkpoint, out, graph, quantize });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('loads in the engine and generates every token, batched as alone', async () => {
    const engine = await OnnxEngine.load({ modelDir: out });
    try {
      const alone = [];
      for (const prompt of PROMPTS) alone.push((await collectEvents(engine.generate(greedy(prompt)))).end);
      const together = await Promise.all(PROMPTS.map((prompt) => collectEvents(engine.generate(greedy(prompt)))));
      expect(alone.map((end) => end.usage.completionTokens)).toEqual([12, 12, 12]);
      expect(together.map((r) => r.end.text)).toEqual(alone.map((end) => end.text));
    } finally {
      await engine.close();
    }
  });

  it('serves generateFromIds: its first greedy id is the argmax of the logits it reports', async () => {
    const result = await generateFromIds({ modelDir: out, ids: [72, 101, 108, 108, 111], maxTokens: 6 });
    expect(result.ids).toHaveLength(6);
    expect(result.ids[0]).toBe(result.logits.indexOf(Math.max(...result.logits)));
  });
});
