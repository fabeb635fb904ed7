import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { decoderFeeds } from '../testing/decoder-feeds';
import { buildModelFolder } from './build-model-folder';
import { type GlmConfig, glmConfigSchema } from './glm-config';

/**
 * Tiny random checkpoints with real tensor names and config keys (kernels/reference/fixtures,
 * written by make_fixtures.py) and what the numpy reference — written from the transformers
 * source, independently of these graphs — computes for them: greedy ids and last-position logits.
 */
const FIXTURES = path.join(__dirname, '..', '..', 'reference', 'fixtures');

interface Expected {
  prompt: number[];
  max_tokens: number;
  ids: number[];
  logits: number[];
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const argmax = (row: Float32Array) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);

const CASES = ['glm', 'glm4', 'glm4_moe'].flatMap((name) =>
  (['naive', 'fused'] as const).map((graph) => [name, graph, 'fp32'] as const),
);
// F16 and BF16 checkpoints fit float16 exactly: an fp16 folder computes what the fp32 one does.
CASES.push(['glm4_moe', 'naive', 'fp16'] as never, ['glm4', 'fused', 'fp16'] as never);

describe.each(CASES)(
  '%s checkpoint built --from-hf as the %s graph (%s) agrees with the transformers-derived reference',
  (name, graph, dtype) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `zhibing-hf-${name}-`));
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
    const warnings: string[] = [];
    let config: GlmConfig;
    let session: ort.InferenceSession;

    beforeAll(async () => {
      buildModelFolder({ fromHf: path.join(FIXTURES, name), out, graph, dtype, onWarning: (m) => warnings.push(m) });
      config = glmConfigSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')));
      session = await ort.InferenceSession.create(path.join(out, 'model.onnx'));
    });
    afterAll(async () => {
      await session.release();
      fs.rmSync(out, { recursive: true, force: true });
    });

    it('warns that the folder has no tokenizer and marks it ids-only', () => {
      expect(warnings).toEqual([expect.stringContaining('no tokenizer.json')]);
      expect(config.zhibing?.tokenizer).toBe(false);
      expect(fs.existsSync(path.join(out, 'tokenizer.json'))).toBe(false);
    });

    it("gives the last prompt position's logits within 1e-4 and the same greedy ids, decoding with the KV cache", async () => {
      let outputs = await session.run(decoderFeeds(ort, config, expected.prompt, null, 0));
      const first = outputs.logits.data as Float32Array;
      expect(first.length).toBe(config.vocab_size);
      const diff = maxDiff(first, expected.logits);
      console.log(
        `${name} (${graph}, ${dtype}): max |onnx − reference| on last-position logits ${diff.toExponential(2)}`,
      );
      expect(diff).toBeLessThan(1e-4);
      const ids: number[] = [argmax(first)];
      for (let length = expected.prompt.length; ids.length < expected.max_tokens; length++) {
        outputs = await session.run(decoderFeeds(ort, config, [ids[ids.length - 1]], outputs, length));
        ids.push(argmax(outputs.logits.data as Float32Array));
      }
      expect(ids).toEqual(expected.ids);
    });
  },
);
