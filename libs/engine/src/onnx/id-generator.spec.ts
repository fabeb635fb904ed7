import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelFolder } from '@zhibing/kernels';
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
