import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { decoderFeeds } from '../testing/decoder-feeds';
import { buildModelFolder } from './build-model-folder';
import { type GlmConfig, glmConfigSchema } from './glm-config';
import { writeSeededCheckpoint } from './optimum-export.adapter';

/**
 * `--quantize int4|int8` on the reference checkpoints (glm, glm4, glm4_moe with real tensor names)
 * and on a seeded tiny-moe checkpoint (whose expert sizes are whole blocks of 32, so the fused graph
 * puts them on QMoE). Quantized folders load and decode; their first-step logits stay near the fp32
 * folder's. Tolerances are on max |Δlogit| / max |logit|: each weight moves by at most scale / 2 =
 * max|block| / 14 at 4 bits and max|block| / 254 at 8 bits, so int8 is held ~12× tighter than int4
 * (measured: int8 ≤ 1.2e-2, dense int4 ≤ 0.2). On these tiny random models (hidden 32) an int4
 * error can also flip a routing choice — the glm4_moe fixture's last token swaps one of its two
 * experts — which moves the whole output: MoE models get a wider int4 bound (measured 0.6).
 */
const FIXTURES = path.join(__dirname, '..', '..', 'reference', 'fixtures');
const TOLERANCE = { int4: 0.25, int8: 0.02 } as const;
const MOE_INT4_TOLERANCE = 0.75;
const PROMPT = [3, 17, 42, 9, 77, 5];

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-quant-'));
const seeded = path.join(root, 'tiny-moe-hf');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface Built {
  config: GlmConfig;
  logits: Float32Array;
  ids: number[];
  ops: string[];
  bytes: number;
  warnings: string[];
}

const argmax = (row: Float32Array) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);

/** Builds a folder, runs the prompt and 4 greedy cached steps; returns the first logits and the ids. */
async function build(
  source: string,
  graph: 'naive' | 'fused',
  quantize?: 'int4' | 'int8',
  dtype: 'fp32' | 'fp16' = 'fp32',
): Promise<Built> {
  const out = path.join(root, `${path.basename(source)}-${graph}-${quantize ?? 'fp32'}-${dtype}`);
  const warnings: string[] = [];
  buildModelFolder({ fromHf: source, out, graph, quantize, dtype, onWarning: (m) => warnings.push(m) });
  const config = glmConfigSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')));
  const model = onnx.ModelProto.decode(fs.readFileSync(path.join(out, 'model.onnx')));
  const session = await ort.InferenceSession.create(path.join(out, 'model.onnx'));
  try {
    let outputs = await session.run(decoderFeeds(ort, config, PROMPT, null, 0));
    const logits = outputs.logits.data as Float32Array;
    const ids = [argmax(logits)];
    for (let length = PROMPT.length; ids.length < 5; length++) {
      outputs = await session.run(decoderFeeds(ort, config, [ids[ids.length - 1]], outputs, length));
      ids.push(argmax(outputs.logits.data as Float32Array));
    }
    const ops = model.graph!.node!.map((n) => n.opType!);
    return { config, logits, ids, ops, bytes: fs.statSync(path.join(out, 'model.onnx.data')).size, warnings };
  } finally {
    await session.release();
  }
}

const relativeDiff = (a: Float32Array, b: Float32Array) => {
  const scale = Math.max(...Array.from(b, Math.abs));
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))) / scale;
};
const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;

beforeAll(() => writeSeededCheckpoint({ preset: 'tiny-moe', seed: 11, out: seeded }));

const CASES = [...['glm', 'glm4', 'glm4_moe'].map((name) => path.join(FIXTURES, name)), seeded].flatMap((source) =>
  (['naive', 'fused'] as const).map((graph) => [path.basename(source), graph, source] as const),
);

describe.each(CASES)('%s checkpoint as the %s graph, quantized', (name, graph, source) => {
  let fp32: Built;
  beforeAll(async () => {
    fp32 = await build(source, graph);
  });

  it.each(['int4', 'int8'] as const)(
    '%s: MatMulNBits on the projections, first-step logits near fp32, decodes',
    async (quantize) => {
      const q = await build(source, graph, quantize);
      const diff = relativeDiff(q.logits, fp32.logits);
      console.log(`${name} ${graph} ${quantize}: max |Δlogit| / max |logit| = ${diff.toExponential(2)}`);
      const moe = fp32.config.n_routed_experts > 0;
      expect(diff).toBeLessThan(moe && quantize === 'int4' ? MOE_INT4_TOLERANCE : TOLERANCE[quantize]);
      expect(q.ids).toHaveLength(5);
      expect(q.logits.every(Number.isFinite)).toBe(true);
      expect(q.config.zhibing).toMatchObject({ quantize, quantization: { bits: quantize === 'int4' ? 4 : 8 } });
      // Every projection is quantized: no float MatMul is left but the router's and a tied head's.
      const routers =
        fp32.config.n_routed_experts > 0 ? fp32.config.num_hidden_layers - fp32.config.first_k_dense_replace : 0;
      const tiedHead = fp32.config.tie_word_embeddings ? 1 : 0;
      const attentionMatMuls = graph === 'naive' ? 2 * fp32.config.num_hidden_layers : 0; // q·kᵀ and p·v
      expect(count(q.ops, 'MatMul')).toBe(routers + tiedHead + attentionMatMuls);
      expect(count(q.ops, 'MatMulNBits')).toBeGreaterThan(0);
      // Smaller on disk (the embedding stays float32); the fused graph's experts are on QMoE.
      expect(q.bytes).toBeLessThan(fp32.bytes * (quantize === 'int4' ? 0.5 : 0.6));
      expect(count(q.ops, 'QMoE')).toBe(graph === 'fused' ? routers : 0);
      expect(q.warnings.filter((w) => w.includes('MoE'))).toEqual([]);
    },
  );
});

describe('QMoE computes what MatMulNBits computes on the same codes', () => {
  const sources = [
    ['tiny-moe (whole blocks of 32)', seeded],
    ['glm4_moe (moe_intermediate_size 16: a partial block)', path.join(FIXTURES, 'glm4_moe')],
  ] as const;
  it.each(sources.flatMap(([name, source]) => (['int4', 'int8'] as const).map((q) => [name, q, source] as const)))(
    '%s, %s: the fused graph (QMoE) agrees with the naive one (MatMulNBits per expert)',
    async (name, quantize, source) => {
      const [naive, fused] = [await build(source, 'naive', quantize), await build(source, 'fused', quantize)];
      expect(count(fused.ops, 'QMoE')).toBeGreaterThan(0);
      const diff = Math.max(...Array.from(fused.logits, (v, i) => Math.abs(v - naive.logits[i])));
      console.log(`${name} ${quantize}: max |QMoE graph − MatMulNBits graph| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThan(1e-4);
      expect(fused.ids).toEqual(naive.ids);
    },
  );
});

describe('a 4-bit fused build whose expert rows have an odd size', () => {
  it('keeps its experts float on MoE and says why; 8 bits puts them on QMoE', async () => {
    const odd = path.join(root, 'tiny-moe-odd');
    writeSeededCheckpoint({ preset: 'tiny-moe', seed: 5, out: odd, overrides: { moe_intermediate_size: 15 } });
    const int4 = await build(odd, 'fused', 'int4');
    expect(count(int4.ops, 'MoE')).toBe(2);
    expect(count(int4.ops, 'QMoE')).toBe(0);
    expect(int4.warnings).toEqual([
      expect.stringMatching(/experts stay float32 on onnxruntime's MoE op: 4-bit QMoE .* must be even/),
    ]);
    expect(int4.config.zhibing?.quantization?.quantized).not.toContain('mlp.experts (QMoE)');
    expect(count((await build(odd, 'fused', 'int8')).ops, 'QMoE')).toBe(2);
  });
});

describe('--quantize with --dtype fp16', () => {
  it('stores what stays float (the embedding) as float16: smaller, logits within 1e-2 of the fp32-float twin', async () => {
    const [full, half] = [await build(seeded, 'fused', 'int8'), await build(seeded, 'fused', 'int8', 'fp16')];
    expect(half.config.zhibing).toMatchObject({ dtype: 'fp16', quantize: 'int8' });
    expect(count(half.ops, 'QMoE')).toBe(2);
    // The embedding alone saves 2 bytes a value (the routers, also float, save a little more).
    expect(full.bytes - half.bytes).toBeGreaterThanOrEqual(full.config.vocab_size * full.config.hidden_size * 2);
    expect(relativeDiff(half.logits, full.logits)).toBeLessThan(1e-2);
  });
});
