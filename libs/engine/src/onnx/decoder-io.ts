import type * as ort from 'onnxruntime-node';
import { ModelFolderError } from '../engine.errors';
import type { KvArray } from './sequence-cache';

type OrtModule = typeof import('onnxruntime-node');
type Metadata = { name: string; isTensor?: boolean; type?: string; shape?: readonly (number | string)[] };
type FloatType = 'float32' | 'float16';

/**
 * The element types and optional inputs of a decoder-with-past graph, read from the session: our
 * own graphs (float32 cache, logits of the last position) and Optimum / onnx-community exports
 * (float32 or float16 cache and logits, logits of every position, position_ids sometimes absent).
 * The engine's batching, caches and sampling stay the same; only these edges differ.
 */
export class DecoderIo {
  private constructor(
    /** Element type of past_key_values.* and present.* (float16 comes as Uint16Array bits). */
    readonly kvType: FloatType,
    readonly logitsType: FloatType,
    /** False for exports that derive positions themselves (no position_ids input). */
    readonly positionIds: boolean,
    /**
     * True when each row's logits can be those of its own last real token: our fused graphs with
     * the `logits_column` output, or exports with logits for every position (see lastLogits).
     * Right-padded prompts of different lengths may then share one prefill call. Older fused
     * graphs give only the last column's: one prompt per call.
     */
    readonly perRowLogits: boolean,
  ) {}

  /** Reads the I/O types from the session's metadata; a type the engine cannot feed fails naming the file. */
  static fromSession(session: ort.InferenceSession, modelPath: string): DecoderIo {
    const inputs = (session as unknown as { inputMetadata?: readonly Metadata[] }).inputMetadata ?? [];
    const outputs = (session as unknown as { outputMetadata?: readonly Metadata[] }).outputMetadata ?? [];
    const floatType = (list: readonly Metadata[], name: string): FloatType => {
      const type = list.find((m) => m.name === name)?.type ?? 'float32';
      if (type !== 'float32' && type !== 'float16')
        throw new ModelFolderError(modelPath, `${name} is ${type}; the engine feeds float32 or float16`);
      return type;
    };
    return new DecoderIo(
      floatType(inputs, 'past_key_values.0.key'),
      floatType(outputs, 'logits'),
      session.inputNames.includes('position_ids'),
      session.outputNames.includes('logits_column') || everyPosition(outputs.find((m) => m.name === 'logits')),
    );
  }

  /** True when caches hold float16 bits (Uint16Array). */
  get halfKv(): boolean {
    return this.kvType === 'float16';
  }

  /** A past_key_values feed of the graph's element type. */
  pastTensor(ortModule: OrtModule, data: KvArray, dims: number[]): ort.Tensor {
    return this.halfKv
      ? new ortModule.Tensor('float16', data as Uint16Array, dims)
      : new ortModule.Tensor('float32', data as Float32Array, dims);
  }

  /**
   * Each row's logits at its last real token, as float32 for the sampler. Logits come as
   * [batch, 1, vocab] (ours: already that token's) or [batch, seq, vocab] (exports: column
   * `lastColumns[b]`, the last for left-padded rows, the row's own length − 1 for right-padded;
   * by default the last column).
   */
  lastLogits(tensor: ort.Tensor, batch: number, vocab: number, lastColumns?: number[]): Float32Array[] {
    const data = tensor.data as Float32Array | Uint16Array;
    const positions = data.length / batch / vocab;
    return Array.from({ length: batch }, (_, b) => {
      // [batch, 1, vocab]: the row's one column already is its last token's.
      const column = positions === 1 ? 0 : (lastColumns?.[b] ?? positions - 1);
      const at = (b * positions + column) * vocab;
      const row = data.subarray(at, at + vocab);
      return row instanceof Uint16Array ? float16ToFloat32(row) : row.slice();
    });
  }
}

/** True when a logits output is declared [batch, sequence, vocab] (every position), not [batch, 1, vocab]. */
function everyPosition(logits: Metadata | undefined): boolean {
  const positions = logits?.shape?.[1];
  return positions !== undefined && positions !== 1;
}

/** float16 bits → float32 value for each of the 65,536 patterns, built on first use (256 KB). */
let halfTable: Float32Array | null = null;

function buildHalfTable(): Float32Array {
  const table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0) table[bits] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) table[bits] = mantissa ? NaN : sign * Infinity;
    else table[bits] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
}

/** IEEE float16 bits (onnxruntime-node's float16 tensors) → float32 values. */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  halfTable ??= buildHalfTable();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfTable[bits[i]];
  return out;
}
