import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModelFolder } from './build-model-folder';
import { type GlmConfig, PRESETS } from './glm-config';

type Feeds = Record<string, ort.Tensor>;

/**
 * Plain-text positions per row; a 2-D preset gets them as (t, 0) with no context prefix, which it
 * computes exactly as a 1-D model (so the expectations below hold for both).
 */
function positionFeeds(config: GlmConfig, rows: number[][], total: number): Feeds {
  const [batch, seq] = [rows.length, rows[0].length];
  if (config.position_encoding !== '2d') {
    return { position_ids: new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [batch, seq]) };
  }
  const twoD = rows.flatMap((row) => [...row, ...row.map(() => 0)]);
  return {
    position_ids: new ort.Tensor('int64', BigInt64Array.from(twoD.map(BigInt)), [batch, 2, seq]),
    prefix_mask: new ort.Tensor('int64', new BigInt64Array(batch * total), [batch, total]),
  };
}

function feeds(config: GlmConfig, ids: number[][], past: Feeds | null, pastLen: number, mask?: number[][]): Feeds {
  const batch = ids.length;
  const seq = ids[0].length;
  const out: Feeds = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.flat().map(BigInt)), [batch, seq]),
    attention_mask: new ort.Tensor(
      'int64',
      BigInt64Array.from((mask ?? ids.map(() => Array(pastLen + seq).fill(1))).flat().map(BigInt)),
      [batch, pastLen + seq],
    ),
    ...positionFeeds(
      config,
      ids.map((row) => row.map((_, i) => pastLen + i)),
      pastLen + seq,
    ),
  };
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const kind of ['key', 'value']) {
      out[`past_key_values.${i}.${kind}`] =
        past?.[`present.${i}.${kind}`] ??
        new ort.Tensor('float32', new Float32Array(0), [batch, config.num_key_value_heads, 0, config.head_dim]);
    }
  }
  return out;
}

/** Recorded from the seed-7 models (re-recorded for the transformers-exact graph); a change means the graph or weights changed. */
const EXPECTED_GREEDY: Record<string, number[]> = {
  'tiny-dense': [80, 256, 121, 9, 66, 1],
  'tiny-moe': [195, 87, 172, 179, 59, 101],
};

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.each(['tiny-dense', 'tiny-moe'] as const)('GLM naive graph, %s', (preset) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `zhibing-${preset}-`));
  const config = { ...PRESETS[preset] } as GlmConfig;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    buildModelFolder({ preset, seed: 7, out: dir });
    session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the same bytes for the same seed, different ones for another', () => {
    const hash = (folder: string) =>
      createHash('sha256')
        .update(fs.readFileSync(path.join(folder, 'model.onnx')))
        .digest('hex');
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-again-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-other-'));
    buildModelFolder({ preset, seed: 7, out: again });
    buildModelFolder({ preset, seed: 8, out: other });
    expect(hash(again)).toBe(hash(dir));
    expect(hash(other)).not.toBe(hash(dir));
    fs.rmSync(again, { recursive: true, force: true });
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('decoding with the KV cache gives the logits of full recomputation', async () => {
    const prompt = [20, 31, 42, 53, 64, 75];
    const full5 = (await session.run(feeds(config, [prompt.slice(0, 5)], null, 0))).logits.data as Float32Array;
    const full6 = (await session.run(feeds(config, [prompt], null, 0))).logits.data as Float32Array;
    const prefix = await session.run(feeds(config, [prompt.slice(0, 4)], null, 0));
    const step1 = await session.run(feeds(config, [[prompt[4]]], prefix, 4));
    const step2 = await session.run(feeds(config, [[prompt[5]]], step1, 5));
    // Logits come for the last position only: [batch, 1, vocab].
    expect(step1.logits.dims).toEqual([1, 1, config.vocab_size]);
    expect(maxDiff(step1.logits.data as Float32Array, full5)).toBeLessThan(1e-4);
    expect(maxDiff(step2.logits.data as Float32Array, full6)).toBeLessThan(1e-4);
    expect(step2[`present.0.key`].dims).toEqual([1, config.num_key_value_heads, 6, config.head_dim]);
  });

  it('a left-padded row in a batch gives the logits it gives alone', async () => {
    const pad = config.pad_token_id;
    const alone = await session.run(feeds(config, [[5, 6, 7]], null, 0));
    const batch = await session.run({
      ...feeds(
        config,
        [
          [pad, 5, 6, 7],
          [1, 2, 3, 4],
        ],
        null,
        0,
        [
          [0, 1, 1, 1],
          [1, 1, 1, 1],
        ],
      ),
      ...positionFeeds(
        config,
        [
          [0, 0, 1, 2],
          [0, 1, 2, 3],
        ],
        4,
      ),
    });
    const v = config.vocab_size;
    expect(maxDiff((batch.logits.data as Float32Array).slice(0, v), alone.logits.data as Float32Array)).toBeLessThan(
      1e-4,
    );
  });

  it('is deterministic: seed 7 continues greedily with the same tokens every run', async () => {
    const argmax = (logits: Float32Array) => logits.reduce((best, v, i) => (v > logits[best] ? i : best), 0);
    const greedy = async () => {
      let out = await session.run(feeds(config, [[20, 31, 42]], null, 0));
      const ids = [argmax(out.logits.data as Float32Array)];
      for (let length = 3; ids.length < 6; length++) {
        out = await session.run(feeds(config, [[ids[ids.length - 1]]], out, length));
        ids.push(argmax(out.logits.data as Float32Array));
      }
      return ids;
    };
    expect(await greedy()).toEqual(EXPECTED_GREEDY[preset]);
    expect(await greedy()).toEqual(EXPECTED_GREEDY[preset]);
  });
});
