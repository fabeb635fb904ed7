/**
 * One sequence's past keys and values, per layer, as [kv_heads, length, head_dim] arrays. The
 * batch decoder packs several of these (left-padded) into one step and unpacks the result.
 * `dispose()` drops the memory at once when the sequence ends or is cancelled.
 */
export class SequenceCache {
  keys: Float32Array[] = [];
  values: Float32Array[] = [];
  length = 0;
  disposed = false;

  constructor(readonly layers: number, readonly kvHeads: number, readonly headDim: number) {
    for (let i = 0; i < layers; i++) {
      this.keys.push(new Float32Array(0));
      this.values.push(new Float32Array(0));
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
export function unpackRow(data: Float32Array, batchTotal: number, row: number, pad: number, kvHeads: number, headDim: number, keep = batchTotal - pad): Float32Array {
  const out = new Float32Array(kvHeads * keep * headDim);
  for (let h = 0; h < kvHeads; h++) {
    const from = ((row * kvHeads + h) * batchTotal + pad) * headDim;
    out.set(data.subarray(from, from + keep * headDim), h * keep * headDim);
  }
  return out;
}

/**
 * Packs per-sequence [kvh, len_b, d] arrays into [batch, kvh, maxLen, d], each padded with zeros
 * on the left (naive graph) or on the right (GroupQueryAttention, which reads row lengths).
 */
export function packRows(rows: Float32Array[], lengths: number[], maxLength: number, kvHeads: number, headDim: number, side: 'left' | 'right' = 'left'): Float32Array {
  const out = new Float32Array(rows.length * kvHeads * maxLength * headDim);
  rows.forEach((row, b) => {
    const pad = side === 'left' ? maxLength - lengths[b] : 0;
    for (let h = 0; h < kvHeads; h++) {
      const to = ((b * kvHeads + h) * maxLength + pad) * headDim;
      out.set(row.subarray(h * lengths[b] * headDim, (h + 1) * lengths[b] * headDim), to);
    }
  });
  return out;
}
