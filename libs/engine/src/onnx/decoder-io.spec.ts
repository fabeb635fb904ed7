import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { float16ToFloat32 } from './decoder-io';

/** A graph that casts a float16 vector to float32: onnxruntime's own reading of the bits. */
function castGraph(): Uint8Array {
  const info = (name: string, elemType: number) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'n' }] } } },
  });
  const to = { name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT };
  const model = {
    irVersion: 10,
    opsetImport: [{ domain: '', version: 21 }],
    graph: {
      name: 'cast',
      node: [{ opType: 'Cast', input: ['x'], output: ['y'], attribute: [to] }],
      input: [info('x', onnx.TensorProto.DataType.FLOAT16)],
      output: [info('y', onnx.TensorProto.DataType.FLOAT)],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

describe('float16ToFloat32', () => {
  it('decodes normal, subnormal, signed and special float16 bit patterns', () => {
    const bits = Uint16Array.of(0x3c00, 0xc000, 0x3555, 0x7bff, 0x0001, 0x0000, 0x8000, 0x7c00, 0xfc00);
    const values = Array.from(float16ToFloat32(bits));
    expect(values.slice(0, 5)).toEqual([1, -2, 0.333251953125, 65504, 2 ** -24]);
    expect(Object.is(values[5], 0)).toBe(true);
    expect(Object.is(values[6], -0)).toBe(true);
    expect(values.slice(7)).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(float16ToFloat32(Uint16Array.of(0x7e00))[0])).toBe(true);
  });

  it('agrees with onnxruntime on every finite float16, positive and negative', async () => {
    const bits = Uint16Array.from({ length: 2 * 0x7c00 }, (_, i) => (i < 0x7c00 ? i : 0x8000 + i - 0x7c00));
    const session = await ort.InferenceSession.create(castGraph());
    const out = await session.run({ x: new ort.Tensor('float16', bits, [bits.length]) });
    expect(Array.from(float16ToFloat32(bits))).toEqual(Array.from(out.y.data as Float32Array));
    await session.release();
  });
});
