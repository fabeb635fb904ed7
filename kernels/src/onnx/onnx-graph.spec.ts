import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildModelFolder } from '../glm/build-model-folder';
import { PRESETS } from '../glm/glm-config';
import { decoderFeeds } from '../testing/decoder-feeds';
import { toFloat16 } from './onnx-graph';

/** IEEE half bits → float32, the textbook way (independent of toFloat16). */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

describe('float16 weights', () => {
  it('converts every float16 value back to its own bits, and rounds others to nearest even', () => {
    const all = Float32Array.from({ length: 0x10000 }, (_, bits) => halfToFloat(bits));
    const back = toFloat16(all);
    const wrong = [...back].filter((bits, i) => !Number.isNaN(all[i]) && bits !== i);
    expect(wrong).toEqual([]);
    // 1 + 2^-11 is halfway between 1 and the next half: ties go to the even one (1.0).
    expect([...toFloat16(Float32Array.of(1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, -1e-9, 2 ** -24))]).toEqual([
      0x3c00, 0x3c02, 0x7c00, 0x8000, 0x0001,
    ]);
  });

  it('an fp16 folder has half the weight bytes and computes nearly the fp32 logits', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-fp16-'));
    const logits = async (dtype: 'fp32' | 'fp16') => {
      const out = path.join(dir, dtype);
      buildModelFolder({ preset: 'tiny-dense', seed: 7, out, dtype, externalData: true });
      const session = await ort.InferenceSession.create(path.join(out, 'model.onnx'));
      const result = (await session.run(decoderFeeds(ort, PRESETS['tiny-dense'], [5, 6, 7], null, 0))).logits
        .data as Float32Array;
      await session.release();
      return { result, bytes: fs.statSync(path.join(out, 'model.onnx.data')).size };
    };
    const [full, half] = [await logits('fp32'), await logits('fp16')];
    expect(half.bytes / full.bytes).toBeGreaterThan(0.45);
    expect(half.bytes / full.bytes).toBeLessThan(0.55);
    expect(Math.max(...full.result.map((v, i) => Math.abs(v - half.result[i])))).toBeLessThan(0.05);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
