import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelFolder } from '@zhibing/kernels';
import type { GenerationEvent } from '../engine.port';
import { collectEvents } from '../generation/collect-events';
import { OnnxEngine } from '../onnx/onnx-engine';
import { InversePromptingEngine } from './inverse-prompting';

describe('InversePromptingEngine over the tiny onnx model', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-rerank-'));
  let base: OnnxEngine;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-dense', seed: 3, out: dir });
    base = await OnnxEngine.load({ modelDir: dir });
  });
  afterAll(async () => {
    await base.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('returns the candidate with the best combined forward + inverse score, recomputable from the base engine', async () => {
    const reranker = new InversePromptingEngine(base, { candidates: 3, forwardWeight: 0.5 });
    const prompt = '用户：故宫门票多少钱？\n导游：';
    const { all: events } = await collectEvents(
      reranker.generate({ prompt, settings: { maxTokens: 8, temperature: 1, seed: 5 } }),
    );
    const end = events[events.length - 1] as Extract<GenerationEvent, { type: 'end' }>;
    expect(reranker.lastScores).toHaveLength(3);
    const best = reranker.lastScores.reduce((a, b) => (b.total > a.total ? b : a));
    expect(end.text).toBe(best.text);
    // Recompute one candidate's scores straight from the base engine.
    const sample = reranker.lastScores[0];
    if (sample.text) {
      const tokens = base.countTokens(sample.text);
      expect(sample.forward).toBeCloseTo((await base.score(prompt, sample.text)) / tokens, 5);
      expect(sample.inverse).toBeCloseTo(
        (await base.score(`回答：${sample.text}\n问题：`, '故宫门票多少钱？')) / base.countTokens('故宫门票多少钱？'),
        5,
      );
    }
    // Same seed, same choice.
    const { all: again } = await collectEvents(
      reranker.generate({ prompt, settings: { maxTokens: 8, temperature: 1, seed: 5 } }),
    );
    expect((again[again.length - 1] as { text: string }).text).toBe(end.text);
  });
});
