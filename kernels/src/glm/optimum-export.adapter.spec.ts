import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModelFolder } from './build-model-folder';
import { onnx } from 'onnx-proto';
import { quantizeMatMulsQ4 } from './matmul-nbits-quantizer';
import { writeOptimumExport, writeSeededCheckpoint } from './optimum-export.adapter';

type Feeds = Record<string, ort.Tensor>;
type Metadata = { name: string; type?: string };

const LAYERS = 2;
const KV_HEADS = 2;
const HEAD_DIM = 32;
const VOCAB = 266;

/** Feeds for one unpadded row in the export layout; the past comes in the graph's own element type. */
function feeds(ids: number[], past: Feeds | null, pastLen: number, half: boolean): Feeds {
  const total = pastLen + ids.length;
  const out: Feeds = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(pastLen + i))), [1, ids.length]),
  };
  for (let i = 0; i < LAYERS; i++) {
    for (const kind of ['key', 'value']) {
      const dims = [1, KV_HEADS, 0, HEAD_DIM];
      const empty = half
        ? new ort.Tensor('float16', new Uint16Array(0), dims)
        : new ort.Tensor('float32', new Float32Array(0), dims);
      out[`past_key_values.${i}.${kind}`] = past?.[`present.${i}.${kind}`] ?? empty;
    }
  }
  return out;
}

/** float16 bits → number (the logits of the fp16 graph). */
function half(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const value = exponent === 0 ? (bits & 0x3ff) * 2 ** -24 : (1 + (bits & 0x3ff) / 1024) * 2 ** (exponent - 15);
  return bits & 0x8000 ? -value : value;
}

function lastRow(tensor: ort.Tensor): number[] {
  const data = tensor.data as Float32Array | Uint16Array;
  const row = Array.from(data.subarray(data.length - VOCAB));
  return data instanceof Uint16Array ? row.map(half) : row;
}

describe('toOptimumLayout / writeOptimumExport', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-optimum-kernels-'));
  const checkpoint = path.join(root, 'checkpoint');
  const own = path.join(root, 'own');
  const exported = path.join(root, 'export');

  beforeAll(() => {
    writeSeededCheckpoint({ preset: 'tiny-dense', seed: 3, out: checkpoint });
    buildModelFolder({ fromHf: checkpoint, out: own, onWarning: () => undefined });
    writeOptimumExport({ fromHf: checkpoint, out: exported, dtypes: ['fp32', 'fp16', 'q4'] });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes the export files, with the checkpoint config plus transformers.js_config', () => {
    expect(fs.readdirSync(exported).sort()).toEqual([
      'config.json',
      'generation_config.json',
      'onnx',
      'tokenizer.json',
    ]);
    expect(fs.readdirSync(path.join(exported, 'onnx')).sort()).toEqual([
      'model.onnx',
      'model_fp16.onnx',
      'model_q4.onnx',
    ]);
    const config = JSON.parse(fs.readFileSync(path.join(exported, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model_type: 'glm',
      architectures: ['GlmForCausalLM'],
      'transformers.js_config': expect.any(Object),
    });
    expect(config.zhibing).toBeUndefined();
  });

  it('the fp16 graph takes and gives float16 caches and logits', async () => {
    const session = await ort.InferenceSession.create(path.join(exported, 'onnx', 'model_fp16.onnx'));
    const type = (list: readonly Metadata[], name: string) => list.find((m) => m.name === name)?.type;
    const meta = session as unknown as { inputMetadata: Metadata[]; outputMetadata: Metadata[] };
    expect(type(meta.inputMetadata, 'past_key_values.1.value')).toBe('float16');
    expect(type(meta.outputMetadata, 'present.0.key')).toBe('float16');
    expect(type(meta.outputMetadata, 'logits')).toBe('float16');
    expect(type(meta.inputMetadata, 'input_ids')).toBe('int64');
    await session.release();
  });

  it('gives logits for every position, the last as our graph does, and its cache carries on (fp32, fp16)', async () => {
    const ours = await ort.InferenceSession.create(path.join(own, 'model.onnx'));
    const prompt = [72, 101, 108, 108, 111];
    const ownFirst = await ours.run(feeds(prompt, null, 0, false));
    const ownSecond = await ours.run(feeds([44], ownFirst, prompt.length, false));
    for (const [file, isHalf, tolerance] of [
      ['model.onnx', false, 1e-5],
      ['model_fp16.onnx', true, 2e-2],
    ] as const) {
      const session = await ort.InferenceSession.create(path.join(exported, 'onnx', file));
      const first = await session.run(feeds(prompt, null, 0, isHalf));
      expect(first.logits.dims).toEqual([1, prompt.length, VOCAB]);
      const second = await session.run(feeds([44], first, prompt.length, isHalf));
      expect(second['present.0.key'].dims).toEqual([1, KV_HEADS, prompt.length + 1, HEAD_DIM]);
      for (const [theirs, mine] of [
        [first, ownFirst],
        [second, ownSecond],
      ]) {
        const expected = lastRow(mine.logits);
        lastRow(theirs.logits).forEach((value, i) => expect(Math.abs(value - expected[i])).toBeLessThan(tolerance));
      }
      await session.release();
    }
    await ours.release();
  });

  it('q4: every projection runs as MatMulNBits and computes exactly what its 4-bit codes mean', async () => {
    const q4File = path.join(exported, 'onnx', 'model_q4.onnx');
    const q4Model = onnx.ModelProto.decode(fs.readFileSync(q4File));
    // tiny-dense: per layer q, k, v, o, gate, up, down; plus the untied LM head.
    expect(q4Model.graph!.node!.filter((n) => n.opType === 'MatMulNBits')).toHaveLength(2 * 7 + 1);
    // The float32 twin: the fp32 export with each weight replaced by its dequantized codes.
    const fp32Model = onnx.ModelProto.decode(fs.readFileSync(path.join(exported, 'onnx', 'model.onnx')));
    const twinBytes = onnx.ModelProto.encode(quantizeMatMulsQ4(fp32Model, { dequantized: true })).finish();
    const q4 = await ort.InferenceSession.create(q4File);
    const twin = await ort.InferenceSession.create(twinBytes);
    const fp32 = await ort.InferenceSession.create(path.join(exported, 'onnx', 'model.onnx'));
    const prompt = [72, 101, 108, 108, 111];
    const [a, b, c] = await Promise.all([q4, twin, fp32].map((s) => s.run(feeds(prompt, null, 0, false))));
    const [q4Logits, twinLogits, fp32Logits] = [a, b, c].map((out) => lastRow(out.logits));
    q4Logits.forEach((value, i) => expect(Math.abs(value - twinLogits[i])).toBeLessThan(1e-4));
    // Against the unquantized weights only the 4-bit rounding differs: close, not equal.
    const spread = Math.max(...fp32Logits) - Math.min(...fp32Logits);
    const worst = Math.max(...q4Logits.map((value, i) => Math.abs(value - fp32Logits[i])));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(0.2 * spread);
    const next = await q4.run(feeds([44], a, prompt.length, false));
    const twinNext = await twin.run(feeds([44], b, prompt.length, false));
    const expected = lastRow(twinNext.logits);
    lastRow(next.logits).forEach((value, i) => expect(Math.abs(value - expected[i])).toBeLessThan(1e-4));
    await Promise.all([q4, twin, fp32].map((s) => s.release()));
  });
});
