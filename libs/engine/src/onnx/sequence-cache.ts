/** A KV cache tensor's elements: float32, or float16 bits as onnxruntime-node gives them (Uint16Array). */
export type KvArray = Float32Array | Uint16Array;

/**
 * One sequence's past keys and values, per layer, as [kv_heads, length, head_dim] arrays. The
 * batch decoder packs several of these (left-padded) into one step and unpacks the result.
 * `dispose()` drops the memory at once when the sequence ends or is cancelled.
 */
export class SequenceCache {
  keys: KvArray[] = [];
  values: KvArray[] = [];
  length = 0;
  disposed = false;

  constructor(
    readonly layers: number,
    readonly kvHeads: number,
    readonly headDim: number,
    half = false,
  ) {
    for (let i = 0; i < layers; i++) {
      this.keys.push(half ? new Uint16Array(0) : new Float32Array(0));
      this.values.push(half ? new Uint16Array(0) : new Float32Array(0));
    }
  }

  /**
   * Drops the arrays but keeps the length: the sequence's keys and values now live in the decode
   * batch's packed cache (see OnnxEngine), which is where they are read from.
   */
  release(): void {
    this.keys = [];
    this.values = [];
  }

  dispose(): void {
    this.keys = [];
    this.values = [];
    this.length = 0;
    this.disposed = true;
  }
}

/**
 * Copies row `row` of a [batch, kvh, total, d] tensor into [kvh, keep, d]: the `keep` positions
 * after `pad` leading ones (default: all after the padding).
 */
export function unpackRow<T extends KvArray>(
  data: T,
  batchTotal: number,
  row: number,
  pad: number,
  kvHeads: number,
  headDim: number,
  keep = batchTotal - pad,
): T {
  const out = new (data.constructor as new (length: number) => T)(kvHeads * keep * headDim);
  for (let h = 0; h < kvHeads; h++) {
    const from = ((row * kvHeads + h) * batchTotal + pad) * headDim;
    out.set(data.subarray(from, from + keep * headDim), h * keep * headDim);
  }
  return out;
}

/**
 * Restores one batch row into `cache`: the `keep` positions after `strip` leading pads of each
 * layer's [batch, kvh, width, d] key and value tensors, read through `layer(i)`.
 */
export function restoreRow(
  cache: SequenceCache,
  layer: (i: number) => { key: KvArray; value: KvArray },
  width: number,
  row: number,
  strip: number,
  keep: number,
): void {
  for (let i = 0; i < cache.layers; i++) {
    const { key, value } = layer(i);
    cache.keys[i] = unpackRow(key, width, row, strip, cache.kvHeads, cache.headDim, keep);
    cache.values[i] = unpackRow(value, width, row, strip, cache.kvHeads, cache.headDim, keep);
  }
  cache.length = keep;
}

/** Where one row of a new batch cache comes from: `length` positions from `start` of row `row` of [batch, kvh, width, d] arrays. */
export interface RowSource {
  layer(i: number): { key: KvArray; value: KvArray };
  width: number;
  row: number;
  start: number;
  length: number;
}

/** A sequence's own cache as a row source (its arrays are [kvh, length, d]: one row of width = length). */
export function ownRows(cache: SequenceCache): RowSource {
  return {
    layer: (i) => ({ key: cache.keys[i], value: cache.values[i] }),
    width: cache.length,
    row: 0,
    start: 0,
    length: cache.length,
  };
}

/**
 * Row `row` of a decode batch's packed cache (`past_key_values.*` tensors of [batch, kvh, width, d])
 * as a row source: its `length` positions, after the padding on `side`.
 */
export function packedBatchRow(
  past: Record<string, { data: unknown }>,
  width: number,
  row: number,
  length: number,
  side: 'left' | 'right',
): RowSource {
  return {
    layer: (i) => ({
      key: past[`past_key_values.${i}.key`].data as KvArray,
      value: past[`past_key_values.${i}.value`].data as KvArray,
    }),
    width,
    row,
    start: side === 'right' ? 0 : width - length,
    length,
  };
}

/**
 * Packs each layer's keys and values of a new batch as [batch, kvh, pastMax, d] (rows padded on
 * `side`) straight from where each row is now — the previous batch's packed cache or a sequence's
 * own — in one copy, so a batch change never unpacks into per-sequence caches and packs again.
 */
export function packRowSources(
  sources: RowSource[],
  shape: { layers: number; kvHeads: number; headDim: number; half: boolean },
  pastMax: number,
  side: 'left' | 'right',
): { keys: KvArray[]; values: KvArray[] } {
  const { layers, kvHeads, headDim, half } = shape;
  const size = sources.length * kvHeads * pastMax * headDim;
  const keys: KvArray[] = [];
  const values: KvArray[] = [];
  for (let i = 0; i < layers; i++) {
    const key = half ? new Uint16Array(size) : new Float32Array(size);
    const value = half ? new Uint16Array(size) : new Float32Array(size);
    sources.forEach((source, b) => {
      const from = source.layer(i);
      const pad = side === 'left' ? pastMax - source.length : 0;
      for (let h = 0; h < kvHeads; h++) {
        const at = ((source.row * kvHeads + h) * source.width + source.start) * headDim;
        const to = ((b * kvHeads + h) * pastMax + pad) * headDim;
        key.set(from.key.subarray(at, at + source.length * headDim), to);
        value.set(from.value.subarray(at, at + source.length * headDim), to);
      }
    });
    keys.push(key);
    values.push(value);
  }
  return { keys, values };
}
