import { bytesOf, toFloat16, type WeightProducer } from '../onnx/onnx-graph';
import { halves, type StoredValues } from '../weights/safetensors';
import { type GlmWeights, readRows } from './glm-weights';
import { quantBlocks, type QuantBits, quantizeRows } from './matmul-nbits-quantizer';

/**
 * Producers of graph weights from a model's tensors (see `OnnxGraph.weightStream`): each reads its
 * source a slice of rows at a time where the layout allows, so writing a model holds at most about
 * one source tensor (a transposed one) plus one slice — never a whole layer or model.
 */

/** Elements per emitted piece (16 MB of float32). */
const PIECE = 1 << 22;

const rowsPerPiece = (width: number) => Math.max(1, Math.floor(PIECE / Math.max(1, width)));

/** float32 values as the bytes of float32, or of float16 with `half`. */
export const floatBytes = (values: Float32Array, half: boolean): Uint8Array =>
  bytesOf(half ? toFloat16(values) : values);

/** Row slices [start, start + count) of a weight with `rows` rows of `width` values, in order. */
function* rowSlices(weights: GlmWeights, name: string, rows: number, width: number): Generator<Float32Array> {
  const step = rowsPerPiece(width);
  for (let start = 0; start < rows; start += step) yield readRows(weights, name, start, Math.min(step, rows - start));
}

/** A weight in its stored layout (vectors, the embedding), emitted a slice of rows at a time. */
export function rowsProducer(weights: GlmWeights, name: string, dims: number[], half: boolean): WeightProducer {
  return (emit) => {
    if (dims.length < 2) return emit(floatBytes(readRows(weights, name, 0, 1), half));
    const width = dims.slice(1).reduce((a, b) => a * b, 1);
    for (const slice of rowSlices(weights, name, dims[0], width)) emit(floatBytes(slice, half));
  };
}

/**
 * An [out, in] weight as MatMul's [in, out]. Transposing needs every source row for each output
 * row, so the source is read once, whole, as stored (16-bit words for F16 / BF16 checkpoints:
 * half of float32), and the output converted and emitted a slice of output rows at a time.
 */
export function transposedProducer(
  weights: GlmWeights,
  name: string,
  rows: number,
  cols: number,
  half: boolean,
): WeightProducer {
  return (emit) => {
    const source = sourceValues(weights, name);
    const step = rowsPerPiece(rows);
    for (let c0 = 0; c0 < cols; c0 += step) {
      const c1 = Math.min(cols, c0 + step);
      const piece = new Float32Array((c1 - c0) * rows);
      transposeInto(source, rows, cols, c0, c1, piece);
      emit(floatBytes(piece, half));
    }
  };
}

function sourceValues(weights: GlmWeights, name: string): StoredValues {
  if (weights.stored) return weights.stored(name);
  const tensor = weights.get(name);
  if (!tensor) throw new Error(`missing weight ${name}`);
  return { dtype: 'F32', data: tensor.data };
}

/**
 * Columns [c0, c1) of the [rows, cols] source, converted to float32, as rows of `piece`. Tiles of
 * 64 source rows: their cache lines serve consecutive columns.
 */
function transposeInto(source: StoredValues, rows: number, cols: number, c0: number, c1: number, piece: Float32Array) {
  const TILE = 64;
  const bits = new Uint32Array(piece.buffer, piece.byteOffset, piece.length);
  const table = source.dtype === 'F16' ? halves() : null;
  const data = source.data;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c = c0; c < c1; c++) {
      const out = (c - c0) * rows;
      if (source.dtype === 'BF16') {
        // BF16 is the upper half of a float32.
        for (let r = r0; r < r1; r++) bits[out + r] = data[r * cols + c] << 16;
      } else if (table) {
        for (let r = r0; r < r1; r++) piece[out + r] = table[data[r * cols + c]];
      } else {
        for (let r = r0; r < r1; r++) piece[out + r] = data[r * cols + c];
      }
    }
  }
}

/** Producers of one quantized weight's codes and scales (MatMulNBits' B and scales, or QMoE's). */
export interface QuantizedPair {
  codes: WeightProducer;
  scales: WeightProducer;
}

/**
 * Codes and scales of rows given as consecutive slices of whole rows (`cols` wide, `rows` in all),
 * quantized in ONE pass: the codes are emitted slice by slice while the scales (1/8 of the float
 * size at 4 bits, 1/4 at 8 bits… of one value per 32) are kept until their own initializer is
 * written, right after. Asked for the scales first, it quantizes once without keeping codes.
 */
export function quantizedSlices(
  slices: () => Iterable<Float32Array>,
  rows: number,
  cols: number,
  bits: QuantBits,
): QuantizedPair {
  const blocks = quantBlocks(cols);
  let kept: Float32Array | undefined;
  const run = (emit: (bytes: Uint8Array) => void) => {
    const scales = new Float32Array(rows * blocks);
    let row = 0;
    for (const slice of slices()) {
      const count = slice.length / cols;
      const quantized = quantizeRows(slice, count, cols, bits);
      emit(quantized.codes);
      scales.set(quantized.scales, row * blocks);
      row += count;
    }
    if (row !== rows) throw new Error(`quantized ${row} rows, expected ${rows}`);
    kept = scales;
  };
  return {
    codes: run,
    scales: (emit) => {
      if (!kept) run(() => undefined);
      const scales = kept!;
      kept = undefined;
      emit(bytesOf(scales));
    },
  };
}

/** `quantizedSlices` of a stored [rows, cols] weight, read a slice of rows at a time. */
export function quantizedPair(
  weights: GlmWeights,
  name: string,
  rows: number,
  cols: number,
  bits: QuantBits,
): QuantizedPair {
  return quantizedSlices(() => rowSlices(weights, name, rows, cols), rows, cols, bits);
}
