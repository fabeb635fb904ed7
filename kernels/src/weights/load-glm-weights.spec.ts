import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModelFolder } from '../glm/build-model-folder';
import { type GlmConfig, glmConfigSchema, PRESETS } from '../glm/glm-config';
import { seededGlmWeights } from '../glm/glm-weights';
import { loadGlmWeights } from './load-glm-weights';
import { readSafetensors, writeSafetensors } from './safetensors';

const config = glmConfigSchema.parse(PRESETS['tiny-moe']) as GlmConfig;

async function logitsOf(dir: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from([5n, 6n, 7n]), [1, 3]),
    attention_mask: new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n]), [1, 3]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 1n, 2n]), [1, 3]),
  };
  for (let i = 0; i < config.num_hidden_layers; i++) for (const k of ['key', 'value']) feeds[`past_key_values.${i}.${k}`] = new ort.Tensor('float32', new Float32Array(0), [1, config.num_key_value_heads, 0, config.head_dim]);
  const logits = (await session.run(feeds)).logits.data as Float32Array;
  await session.release();
  return logits;
}

describe('weights from safetensors, and ONNX external data', () => {
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

  it('a model built from a safetensors checkpoint (sharded, fused gate_up) gives the logits of the same weights built directly', async () => {
    const weights = seededGlmWeights(config, 7);
    const [first, second] = [new Map(), new Map()];
    [...weights].forEach(([name, tensor], i) => (i % 2 ? second : first).set(name, tensor));
    // One expert's gate and up projections stored fused, as some checkpoints do.
    const prefix = 'model.layers.0.mlp.experts.0';
    const gate = weights.get(`${prefix}.gate_proj.weight`)!;
    const up = weights.get(`${prefix}.up_proj.weight`)!;
    for (const shard of [first, second]) {
      shard.delete(`${prefix}.gate_proj.weight`);
      shard.delete(`${prefix}.up_proj.weight`);
    }
    const fused = new Float32Array(gate.data.length * 2);
    fused.set(gate.data);
    fused.set(up.data, gate.data.length);
    first.set(`${prefix}.gate_up_proj.weight`, { data: fused, dims: [gate.dims[0] * 2, gate.dims[1]] });
    writeSafetensors(path.join(dir, 'model-00001.safetensors'), first);
    writeSafetensors(path.join(dir, 'model-00002.safetensors'), second);
    const direct = path.join(dir, 'direct');
    const loaded = path.join(dir, 'loaded');
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: direct });
    buildModelFolder({ preset: 'tiny-moe', seed: 0, out: loaded, weights: [path.join(dir, 'model-00001.safetensors'), path.join(dir, 'model-00002.safetensors')] });
    expect(Array.from(await logitsOf(loaded))).toEqual(Array.from(await logitsOf(direct)));
  });

  it('names missing tensors and wrong shapes', () => {
    const file = path.join(dir, 'partial.safetensors');
    writeSafetensors(file, new Map([['model.embed_tokens.weight', { data: new Float32Array(4), dims: [2, 2] }]]));
    expect(() => loadGlmWeights([file], config)).toThrow(/model\.embed_tokens\.weight is 2x2, expected 266x64.*missing model\.layers\.0\.input_layernorm\.weight/);
  });

  it('writes weights as external data that onnxruntime loads to the same logits', async () => {
    const external = path.join(dir, 'external');
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: external, externalData: true });
    expect(fs.statSync(path.join(external, 'model.onnx')).size).toBeLessThan(100_000);
    expect(fs.statSync(path.join(external, 'model.onnx.data')).size).toBeGreaterThan(100_000);
    expect(Array.from(await logitsOf(external))).toEqual(Array.from(await logitsOf(path.join(dir, 'direct'))));
  });
});
