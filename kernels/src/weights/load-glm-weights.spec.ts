import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModelFolder } from '../glm/build-model-folder';
import { PRESETS } from '../glm/glm-config';
import { seededGlmWeights } from '../glm/glm-weights';
import { decoderFeeds } from '../testing/decoder-feeds';
import { loadGlmWeights } from './load-glm-weights';
import { readSafetensors, writeSafetensors } from './safetensors';

const config = PRESETS['tiny-dense'];

async function logitsOf(dir: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
  const logits = (await session.run(decoderFeeds(ort, config, [5, 6, 7], null, 0))).logits.data as Float32Array;
  await session.release();
  return logits;
}

/** A Hugging Face style checkpoint of the tiny-dense preset's seed-7 weights: two shards, an index, fused gate_up. */
function writeCheckpoint(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const weights = seededGlmWeights(config, 7);
  const prefix = 'model.layers.0.mlp';
  const gate = weights.get(`${prefix}.gate_proj.weight`)!;
  const up = weights.get(`${prefix}.up_proj.weight`)!;
  weights.delete(`${prefix}.gate_proj.weight`);
  weights.delete(`${prefix}.up_proj.weight`);
  const fused = new Float32Array(gate.data.length * 2);
  fused.set(gate.data);
  fused.set(up.data, gate.data.length);
  weights.set(`${prefix}.gate_up_proj.weight`, { data: fused, dims: [gate.dims[0] * 2, gate.dims[1]] });
  const shards: [string, typeof weights][] = [
    ['model-00001-of-00002.safetensors', new Map()],
    ['model-00002-of-00002.safetensors', new Map()],
  ];
  [...weights].forEach(([name, tensor], i) => shards[i % 2][1].set(name, tensor));
  const weightMap: Record<string, string> = {};
  for (const [file, tensors] of shards) {
    writeSafetensors(path.join(dir, file), tensors);
    for (const name of tensors.keys()) weightMap[name] = file;
  }
  fs.writeFileSync(
    path.join(dir, 'model.safetensors.index.json'),
    JSON.stringify({ metadata: {}, weight_map: weightMap }),
  );
  const { zhibing: _, ...hfConfig } = {
    ...config,
    zhibing: undefined,
    architectures: ['GlmForCausalLM'],
    torch_dtype: 'float32',
  };
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(hfConfig));
}

describe('weights from Hugging Face checkpoints, and ONNX external data', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-weights-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips tensors through a safetensors file, including bf16 and f16', () => {
    const file = path.join(dir, 'a.safetensors');
    writeSafetensors(file, new Map([['x', { data: Float32Array.of(1, -2.5, 0.125), dims: [3] }]]));
    expect(Array.from(readSafetensors(file).get('x')!.data)).toEqual([1, -2.5, 0.125]);
    // bf16 1.0 = 0x3F80, f16 1.0 = 0x3C00, hand-written files
    const write = (name: string, dtype: string, bytes: number[]) => {
      const header = Buffer.from(JSON.stringify({ t: { dtype, shape: [1], data_offsets: [0, 2] } }));
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(header.length));
      fs.writeFileSync(path.join(dir, name), Buffer.concat([length, header, Buffer.from(bytes)]));
    };
    write('bf16.safetensors', 'BF16', [0x80, 0x3f]);
    write('f16.safetensors', 'F16', [0x00, 0x3c]);
    expect(readSafetensors(path.join(dir, 'bf16.safetensors')).get('t')!.data[0]).toBe(1);
    expect(readSafetensors(path.join(dir, 'f16.safetensors')).get('t')!.data[0]).toBe(1);
  });

  it('a folder built --from-hf (sharded, fused gate_up) gives the logits of the same weights built directly', async () => {
    const checkpoint = path.join(dir, 'checkpoint');
    writeCheckpoint(checkpoint);
    const direct = path.join(dir, 'direct');
    const loaded = path.join(dir, 'loaded');
    buildModelFolder({ preset: 'tiny-dense', seed: 7, out: direct });
    // The tokenizer files a checkpoint brings are copied as they are.
    fs.writeFileSync(path.join(checkpoint, 'tokenizer.json'), fs.readFileSync(path.join(direct, 'tokenizer.json')));
    const brought = {
      'tokenizer_config.json': '{"chat_template":"{{ messages }}"}',
      'special_tokens_map.json': '{}',
      'generation_config.json': '{"eos_token_id":[264,265]}',
    };
    for (const [name, content] of Object.entries(brought)) fs.writeFileSync(path.join(checkpoint, name), content);
    const files = buildModelFolder({
      fromHf: checkpoint,
      out: loaded,
      onWarning: (m) => {
        throw new Error(m);
      },
    });
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      'config.json',
      'generation_config.json',
      'model.onnx',
      'model.onnx.data',
      'special_tokens_map.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    for (const [name, content] of Object.entries(brought))
      expect(fs.readFileSync(path.join(loaded, name), 'utf8')).toBe(content);
    expect(Array.from(await logitsOf(loaded))).toEqual(Array.from(await logitsOf(direct)));
  });

  it("reads transformers 5's stacked experts (mlp.experts.gate_up_proj [E, 2I, H], down_proj [E, H, I]) expert by expert", async () => {
    // The glm4_moe fixture re-saved with its experts stacked, as transformers 5 lays them out.
    const fixture = path.join(__dirname, '..', '..', 'reference', 'fixtures', 'glm4_moe');
    const expected = JSON.parse(fs.readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as {
      prompt: number[];
      logits: number[];
    };
    const stacked = path.join(dir, 'stacked');
    fs.mkdirSync(stacked);
    fs.copyFileSync(path.join(fixture, 'config.json'), path.join(stacked, 'config.json'));
    const tensors = readSafetensors(path.join(fixture, 'model.safetensors'));
    const prefix = 'model.layers.1.mlp.experts';
    const experts = Array.from({ length: 8 }, (_, e) =>
      ['gate', 'up', 'down'].map((k) => tensors.get(`${prefix}.${e}.${k}_proj.weight`)!),
    );
    for (let e = 0; e < 8; e++)
      for (const k of ['gate', 'up', 'down']) tensors.delete(`${prefix}.${e}.${k}_proj.weight`);
    const concat = (parts: Float32Array[]) => Float32Array.from(parts.flatMap((p) => Array.from(p)));
    const [inter, hidden] = experts[0][0].dims;
    tensors.set(`${prefix}.gate_up_proj`, {
      data: concat(experts.flatMap(([gate, up]) => [gate.data, up.data])),
      dims: [8, 2 * inter, hidden],
    });
    tensors.set(`${prefix}.down_proj`, {
      data: concat(experts.map(([, , down]) => down.data)),
      dims: [8, hidden, inter],
    });
    writeSafetensors(path.join(stacked, 'model.safetensors'), tensors);
    const out = path.join(dir, 'stacked-out');
    buildModelFolder({ fromHf: stacked, out, onWarning: () => undefined });
    const session = await ort.InferenceSession.create(path.join(out, 'model.onnx'));
    const moeConfig = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    const logits = (await session.run(decoderFeeds(ort, moeConfig, expected.prompt, null, 0))).logits
      .data as Float32Array;
    await session.release();
    expect(Math.max(...Array.from(logits, (v, i) => Math.abs(v - expected.logits[i])))).toBeLessThan(1e-4);
  });

  it('names missing tensors, tensors the architecture does not read, and wrong shapes', () => {
    const file = path.join(dir, 'partial.safetensors');
    writeSafetensors(
      file,
      new Map([
        ['model.embed_tokens.weight', { data: new Float32Array(4), dims: [2, 2] }],
        ['model.layers.0.mlp.gate.weight', { data: new Float32Array(4), dims: [4] }],
      ]),
    );
    expect(() => loadGlmWeights([file], config)).toThrow(
      /unexpected model\.layers\.0\.mlp\.gate\.weight; model\.embed_tokens\.weight is 2x2, expected 266x64; missing model\.layers\.0\.input_layernorm\.weight/,
    );
  });

  it('writes weights as external data that onnxruntime loads to the same logits', async () => {
    const external = path.join(dir, 'external');
    buildModelFolder({ preset: 'tiny-dense', seed: 7, out: external, externalData: true });
    expect(fs.statSync(path.join(external, 'model.onnx')).size).toBeLessThan(100_000);
    expect(fs.statSync(path.join(external, 'model.onnx.data')).size).toBeGreaterThan(100_000);
    expect(Array.from(await logitsOf(external))).toEqual(Array.from(await logitsOf(path.join(dir, 'direct'))));
  });
});
