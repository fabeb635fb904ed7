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
 * Packs per-sequence [kvh, len_b, d] arrays into [batch, kvh, maxLen, d], each padded with zeros
 * on the left (naive graph) or on the right (GroupQueryAttention, which reads row lengths). The
 * result has the rows' element type (float16 caches stay float16 bits).
 */
export function packRows<T extends KvArray>(
  rows: T[],
  lengths: number[],
  maxLength: number,
  kvHeads: number,
  headDim: number,
  side: 'left' | 'right' = 'left',
): T {
  const size = rows.length * kvHeads * maxLength * headDim;
  const out = rows[0] instanceof Uint16Array ? new Uint16Array(size) : new Float32Array(size);
  rows.forEach((row, b) => {
    const pad = side === 'left' ? maxLength - lengths[b] : 0;
    for (let h = 0; h < kvHeads; h++) {
      const to = ((b * kvHeads + h) * maxLength + pad) * headDim;
      out.set(row.subarray(h * lengths[b] * headDim, (h + 1) * lengths[b] * headDim), to);
    }
  });
  return out as T;
}

/** Every layer's keys and values of a batch, packed as [batch, kvh, pastMax, d] (see packRows). */
export function packCaches(
  caches: SequenceCache[],
  pastMax: number,
  side: 'left' | 'right',
): { keys: KvArray[]; values: KvArray[] } {
  const { layers, kvHeads, headDim } = caches[0];
  const lengths = caches.map((c) => c.length);
  const pack = (rows: KvArray[]) => packRows(rows, lengths, pastMax, kvHeads, headDim, side);
  const keys: KvArray[] = [];
  const values: KvArray[] = [];
  for (let i = 0; i < layers; i++) {
    keys.push(pack(caches.map((c) => c.keys[i])));
    values.push(pack(caches.map((c) => c.values[i])));
  }
  return { keys, values };
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
