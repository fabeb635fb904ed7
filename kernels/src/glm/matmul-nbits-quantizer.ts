import { onnx } from 'onnx-proto';

/** Block size of the 4-bit quantization: each run of 32 input weights of an output shares one scale. */
const BLOCK = 32;

function floats(tensor: onnx.ITensorProto): Float32Array {
  const raw = tensor.rawData as Uint8Array;
  // Copy (new Uint8Array copies; a decoded Buffer's slice() would not): rawData may be unaligned.
  return new Float32Array(new Uint8Array(raw).buffer);
}

/**
 * W [K, N] (MatMul's layout) as MatMulNBits wants it: for each output n and block of 32 inputs, a
 * float scale (max |w| / 7) and 32 4-bit codes q = round(w / scale) + 8 (the default zero point),
 * two per byte, the first in the low nibble. Returns the codes [N, K/32, 16] and scales [N, K/32].
 */
export function quantizeQ4(weights: Float32Array, k: number, n: number): { codes: Uint8Array; scales: Float32Array } {
  const blocks = k / BLOCK;
  const codes = new Uint8Array(n * blocks * (BLOCK / 2));
  const scales = new Float32Array(n * blocks);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < blocks; b++) {
      let max = 0;
      for (let i = 0; i < BLOCK; i++) max = Math.max(max, Math.abs(weights[(b * BLOCK + i) * n + col]));
      const scale = max / 7 || 1;
      scales[col * blocks + b] = scale;
      for (let i = 0; i < BLOCK; i++) {
        const q = Math.min(15, Math.max(0, Math.round(weights[(b * BLOCK + i) * n + col] / scale) + 8));
        codes[(col * blocks + b) * (BLOCK / 2) + (i >> 1)] |= i & 1 ? q << 4 : q;
      }
    }
  }
  return { codes, scales };
}

/** What a q4 weight means: the float32 W [K, N] that MatMulNBits computes with. */
export function dequantizeQ4(codes: Uint8Array, scales: Float32Array, k: number, n: number): Float32Array {
  const blocks = k / BLOCK;
  const out = new Float32Array(k * n);
  for (let col = 0; col < n; col++) {
    for (let row = 0; row < k; row++) {
      const b = Math.floor(row / BLOCK);
      const byte = codes[(col * blocks + b) * (BLOCK / 2) + ((row % BLOCK) >> 1)];
      const q = row & 1 ? byte >> 4 : byte & 15;
      out[row * n + col] = (q - 8) * Math.fround(scales[col * blocks + b]);
    }
  }
  return out;
}

/**
 * Replaces every MatMul by a float32 initializer W [K, N] (K a multiple of 32) with onnxruntime's
 * MatMulNBits on 4-bit block-quantized weights, as onnx-community's `model_q4.onnx` files do; the
 * rest of the graph (norms, embedding, a tied head's Transpose) stays float32. With `dequantized`
 * the MatMuls stay and W becomes exactly what the 4-bit codes mean: a float32 twin for checking
 * MatMulNBits' packing. Returns a new model.
 */
export function quantizeMatMulsQ4(model: onnx.IModelProto, options: { dequantized?: boolean } = {}): onnx.IModelProto {
  const graph = model.graph!;
  const initializers = new Map(graph.initializer!.map((t) => [t.name!, t]));
  const uses = new Map<string, number>();
  for (const node of graph.node!) for (const input of node.input!) uses.set(input, (uses.get(input) ?? 0) + 1);
  const replaced = new Set<string>();
  const added: onnx.ITensorProto[] = [];
  const nodes = graph.node!.map((node) => {
    const weight = node.opType === 'MatMul' ? initializers.get(node.input![1]) : undefined;
    const dims = weight?.dims?.map(Number);
    const float = weight?.dataType === onnx.TensorProto.DataType.FLOAT && weight.rawData;
    // A weight another node also reads (a tied embedding) stays as it is.
    if (!weight || !float || dims?.length !== 2 || dims[0] % BLOCK !== 0 || uses.get(weight.name!) !== 1) return node;
    const [k, n] = dims;
    const { codes, scales } = quantizeQ4(floats(weight), k, n);
    replaced.add(weight.name!);
    if (options.dequantized) {
      const values = dequantizeQ4(codes, scales, k, n);
      added.push({ ...weight, rawData: new Uint8Array(values.buffer) });
      return node;
    }
    const name = weight.name!;
    added.push(
      {
        name: `${name}.q4`,
        dims: [n, k / BLOCK, BLOCK / 2],
        dataType: onnx.TensorProto.DataType.UINT8,
        rawData: codes,
      },
      {
        name: `${name}.scales`,
        dims: [n * (k / BLOCK)],
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(scales.buffer),
      },
    );
    const attribute = (key: string, i: number) => ({ name: key, type: onnx.AttributeProto.AttributeType.INT, i });
    return {
      opType: 'MatMulNBits',
      domain: 'com.microsoft',
      name: `${node.name}_q4`,
      input: [node.input![0], `${name}.q4`, `${name}.scales`],
      output: node.output,
      attribute: [attribute('K', k), attribute('N', n), attribute('bits', 4), attribute('block_size', BLOCK)],
    };
  });
  const kept = graph.initializer!.filter((t) => !replaced.has(t.name!));
  return { ...model, graph: { ...graph, node: nodes, initializer: [...kept, ...added] } };
}
