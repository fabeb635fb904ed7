import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  blankInfillingLayout,
  buildModelFolder,
  decoderFeeds,
  GLM_SPECIAL_TOKENS,
  parseGlmConfig,
} from '@zhibing/kernels';
import type { GenerationRequest } from '../engine.port';
import { collectEvents } from '../generation/collect-events';
import { generateFromIds } from './id-generator';
import { OnnxEngine } from './onnx-engine';

const run = (engine: OnnxEngine, request: GenerationRequest) => collectEvents(engine.generate(request));
const special = (token: string) => 256 + GLM_SPECIAL_TOKENS.indexOf(token);
const TOKENS = { masks: [special('[MASK]'), special('[sMASK]'), special('[gMASK]')], sop: special('<sop>') };

/** Seed 7's greedy span for PROMPT (2-D positions, bidirectional context); a change means the math changed. */
const PROMPT = '故宫的门票[MASK]。<sop>';
const EXPECTED_SPAN = [151, 27, 189, 128, 46, 178, 110, 112, 0, 208];

describe('OnnxEngine: GLM blank infilling on the 2-D tiny-moe preset', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-blank-'));
  let engine: OnnxEngine;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: dir });
    engine = await OnnxEngine.load({ modelDir: dir });
  });
  afterAll(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fills a [MASK] with the KV cache exactly as recomputing the whole sequence step by step', async () => {
    const config = parseGlmConfig(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')));
    expect(config.position_encoding).toBe('2d');
    const settings = { maxTokens: 10, temperature: 0, stop: [], ignoreEos: true };
    const cached = await run(engine, { prompt: PROMPT, settings });
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')), {});
    const ids = tokenizer.encode(PROMPT, { add_special_tokens: false }).ids;
    const layout = blankInfillingLayout(ids, TOKENS)!;
    expect(layout).toEqual({ maskPosition: ids.indexOf(special('[MASK]')), spanStart: ids.length - 1 });
    // The reference: no cache, the whole sequence recomputed at every step, straight on onnxruntime.
    const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
    const generated: number[] = [];
    while (generated.length < cached.end.usage.completionTokens) {
      const outputs = await session.run(decoderFeeds(ort, config, [...ids, ...generated], null, 0, layout));
      const last = outputs.logits.data as Float32Array;
      generated.push(last.reduce((best, v, i) => (v > last[best] ? i : best), 0));
    }
    await session.release();
    // The engine drops U+0000 from replies (Postgres text cannot hold it).
    expect(cached.end.text).toBe(tokenizer.decode(generated, { skip_special_tokens: true }).replaceAll('\u0000', ''));
    expect(generated).toEqual(EXPECTED_SPAN);
    // generateFromIds (zhibing generate --ids) finds the blank from the folder's tokenizer.json alike.
    expect((await generateFromIds({ modelDir: dir, ids, maxTokens: EXPECTED_SPAN.length })).ids).toEqual(EXPECTED_SPAN);
  });

  it('batches blank-infilling and plain prompts of different lengths, each as it is alone', async () => {
    const prompts = [
      '故宫[MASK]<sop>',
      '天坛的门票是[MASK]元。<sop>',
      'Hello',
      '[gMASK]<sop>谷爱凌是谁？',
      '北京[MASK]冬奥会<sop>',
    ];
    const request = (prompt: string, i: number) => ({
      prompt,
      settings: { maxTokens: 5 + 2 * i, temperature: 0.7, seed: i, stop: [], ignoreEos: true },
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

  it('refuses a folder whose config says 2-D positions over a graph without prefix_mask', async () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-blank-broken-'));
    buildModelFolder({ preset: 'tiny-dense', seed: 1, out: broken, positionEncoding: '1d' });
    const config = JSON.parse(fs.readFileSync(path.join(broken, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ...config, position_encoding: '2d' }));
    await expect(OnnxEngine.load({ modelDir: broken })).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringContaining('no "prefix_mask" input'),
    });
    fs.rmSync(broken, { recursive: true, force: true });
  });
});
