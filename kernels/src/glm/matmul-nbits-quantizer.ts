import { onnx } from 'onnx-proto';

/** Block size: each run of 32 input weights of an output shares one scale (MatMulNBits' and QMoE's block_size). */
export const QUANT_BLOCK = 32;
export type QuantBits = 4 | 8;

/** Blocks per row of `k` inputs (a last partial block is padded with zero codes). */
export const quantBlocks = (k: number): number => Math.ceil(k / QUANT_BLOCK);
/** Bytes of one block's codes: 16 at 4 bits (two codes a byte), 32 at 8. */
export const blockBytes = (bits: QuantBits): number => (QUANT_BLOCK * bits) / 8;

function floats(tensor: onnx.ITensorProto): Float32Array {
  const raw = tensor.rawData as Uint8Array;
  // Copy (new Uint8Array copies; a decoded Buffer's slice() would not): rawData may be unaligned.
  return new Float32Array(new Uint8Array(raw).buffer);
}

/**
 * Symmetric block quantization of `rows` rows of `k` weights each (row r = output r: Hugging Face's
 * [out, in] layout, which is MatMulNBits' B [N, blocks, block bytes] and QMoE's [experts, out, in]
 * as they are): per block of 32, scale = max|w| / qmax (qmax 7 at 4 bits, 127 at 8) and code =
 * round(w / scale) + zero point (8, or 128: the ops' default), clamped to the code range, so a
 * dequantized (code − zero point) · scale is within scale / 2 of w. 4-bit codes go two a byte,
 * the first in the low nibble. An all-zero block gets scale 1 (codes at the zero point).
 * Returns codes [rows, blocks, block bytes] and scales [rows, blocks].
 */
export function quantizeRows(
  weights: Float32Array,
  rows: number,
  k: number,
  bits: QuantBits,
): { codes: Uint8Array; scales: Float32Array } {
  const blocks = quantBlocks(k);
  const bytes = blockBytes(bits);
  const qmax = bits === 4 ? 7 : 127;
  const zero = qmax + 1;
  const top = 2 * zero - 1;
  const codes = new Uint8Array(rows * blocks * bytes);
  const scales = new Float32Array(rows * blocks);
  for (let r = 0; r < rows; r++) {
    const row = r * k;
    for (let b = 0; b < blocks; b++) {
      const begin = b * QUANT_BLOCK;
      const end = Math.min(k, begin + QUANT_BLOCK);
      let max = 0;
      for (let i = begin; i < end; i++) max = Math.max(max, Math.abs(weights[row + i]));
      const scale = Math.fround(max / qmax) || 1;
      scales[r * blocks + b] = scale;
      const at = (r * blocks + b) * bytes;
      for (let i = 0; i < QUANT_BLOCK; i++) {
        const q =
          begin + i < end ? Math.min(top, Math.max(0, Math.round(weights[row + begin + i] / scale) + zero)) : zero;
        if (bits === 8) codes[at + i] = q;
        else codes[at + (i >> 1)] |= i & 1 ? q << 4 : q;
      }
    }
  }
  return { codes, scales };
}

/**
 * Codes [rows, blocks, block bytes] (MatMulNBits' layout, a partial last block padded) as QMoE
 * stores them: each row's k·bits/8 bytes, the padding dropped. The same bytes when k is a multiple of 32.
 */
export function unpaddedRows(codes: Uint8Array, k: number, bits: QuantBits): Uint8Array {
  const padded = quantBlocks(k) * blockBytes(bits);
  const packed = (k * bits) / 8;
  if (packed === padded) return codes;
  const rows = codes.length / padded;
  const out = new Uint8Array(rows * packed);
  for (let r = 0; r < rows; r++) out.set(codes.subarray(r * padded, r * padded + packed), r * packed);
  return out;
}

/** What quantized rows mean: the float32 [rows, k] that MatMulNBits / QMoE compute with. */
export function dequantizeRows(
  codes: Uint8Array,
  scales: Float32Array,
  rows: number,
  k: number,
  bits: QuantBits,
): Float32Array {
  const blocks = quantBlocks(k);
  const bytes = blockBytes(bits);
  const zero = bits === 4 ? 8 : 128;
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) {
      const b = Math.floor(i / QUANT_BLOCK);
      const j = i % QUANT_BLOCK;
      const at = (r * blocks + b) * bytes;
      const q = bits === 8 ? codes[at + j] : j & 1 ? codes[at + (j >> 1)] >> 4 : codes[at + (j >> 1)] & 15;
      out[r * k + i] = (q - zero) * scales[r * blocks + b];
    }
  }
  return out;
}

/** W [K, N] (MatMul's layout) → [N, K]. */
function transposed(weights: Float32Array, k: number, n: number): Float32Array {
  const out = new Float32Array(k * n);
  for (let row = 0; row < k; row++) for (let col = 0; col < n; col++) out[col * k + row] = weights[row * n + col];
  return out;
}

/** W [K, N] (MatMul's layout) as MatMulNBits' 4-bit codes [N, K/32, 16] and scales [N, K/32]. */
export function quantizeQ4(weights: Float32Array, k: number, n: number): { codes: Uint8Array; scales: Float32Array } {
  return quantizeRows(transposed(weights, k, n), n, k, 4);
}

/** What a q4 weight means: the float32 W [K, N] that MatMulNBits computes with. */
export function dequantizeQ4(codes: Uint8Array, scales: Float32Array, k: number, n: number): Float32Array {
  return transposed(dequantizeRows(codes, scales, n, k, 4), n, k);
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
    if (!weight || !float || dims?.length !== 2 || dims[0] % QUANT_BLOCK !== 0 || uses.get(weight.name!) !== 1)
      return node;
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
        dims: [n, k / QUANT_BLOCK, QUANT_BLOCK / 2],
        dataType: onnx.TensorProto.DataType.UINT8,
        rawData: codes,
      },
      {
        name: `${name}.scales`,
        dims: [n * (k / QUANT_BLOCK)],
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
      attribute: [attribute('K', k), attribute('N', n), attribute('bits', 4), attribute('block_size', QUANT_BLOCK)],
    };
  });
  const kept = graph.initializer!.filter((t) => !replaced.has(t.name!));
  return { ...model, graph: { ...graph, node: nodes, initializer: [...kept, ...added] } };
}
