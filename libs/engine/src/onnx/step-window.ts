import * as os from 'node:os';
import { type BlankInfillingLayout, glmPosition2d, inContext } from '@zhibing/kernels';

/** One sequence's part of a batched step: how much it has cached, the ids it feeds, its blank layout. */
export interface WindowRow {
  past: number;
  input: number[];
  layout: BlankInfillingLayout | null;
}

/** The int64 inputs of one batched step, laid out for the graph. */
export interface StepWindow {
  ids: BigInt64Array;
  mask: BigInt64Array;
  /** [batch, width], or [batch, 2, width] for GLM's 2-D positions. */
  positions: BigInt64Array;
  /** The context keys every query may see (2-D models only). */
  prefix: BigInt64Array | null;
  total: number;
}

/**
 * Lays out a batched step: input ids, attention mask, positions and (2-D models) the context mask.
 * Left layout (naive graphs): [pad past][past][pad new][new], pads masked out. Right layout
 * (GroupQueryAttention, which counts the mask's ones as the row's length): [past][new][pad], and
 * the window's ids [new][pad] (a batched first prompt: each row from column 0, pads at position 0).
 */
export function stepWindow(
  rows: WindowRow[],
  options: { pastMax: number; width: number; padId: number; right: boolean; twoD: boolean },
): StepWindow {
  const { pastMax, width, right, twoD } = options;
  const batch = rows.length;
  const total = pastMax + width;
  const ids = new BigInt64Array(batch * width).fill(BigInt(options.padId));
  const mask = new BigInt64Array(batch * total);
  const positions = new BigInt64Array(batch * width * (twoD ? 2 : 1));
  const prefix = twoD ? new BigInt64Array(batch * total) : null;
  // Ids and positions are written as 32-bit low words (see lowWords); masks as ranges of ones.
  const idWords = lowWords(ids);
  const positionWords = lowWords(positions);
  rows.forEach(({ past, input, layout }, b) => {
    const padPast = pastMax - past;
    // Left layout: new ids end at the window's last column; right layout: they start at column 0.
    const padNew = right ? 0 : width - input.length;
    if (right) mask.fill(1n, b * total, b * total + past + input.length);
    else {
      mask.fill(1n, b * total + padPast, b * total + pastMax);
      mask.fill(1n, b * total + pastMax + padNew, (b + 1) * total);
    }
    for (let i = 0; i < input.length; i++) {
      idWords[2 * (b * width + padNew + i)] = input[i];
      if (!twoD) positionWords[2 * (b * width + padNew + i)] = past + i;
      else {
        const [first, second] = glmPosition2d(layout, past + i);
        positionWords[2 * (2 * b * width + padNew + i)] = first;
        positionWords[2 * ((2 * b + 1) * width + padNew + i)] = second;
      }
    }
    // Token t's column in the window, in the layout the mask above describes.
    const column = (t: number) => (right ? t : t < past ? padPast + t : pastMax + padNew + t - past);
    if (prefix) {
      const prefixWords = lowWords(prefix);
      for (let t = 0; t < past + input.length; t++) {
        if (inContext(layout, t)) prefixWords[2 * (b * total + column(t))] = 1;
      }
    }
  });
  return { ids, mask, positions, prefix, total };
}

/**
 * An int64 array seen as int32 words: on a little-endian machine element i's low word is word 2i.
 * Writing a value in [0, 2^31) there (the high word already 0) sets the element without making a
 * BigInt per element, which cost more than the session call on small models.
 */
function lowWords(array: BigInt64Array): Int32Array {
  return new Int32Array(array.buffer, array.byteOffset, array.length * 2);
}

if (os.endianness() !== 'LE') throw new Error('the onnx engine lays out int64 inputs for little-endian machines');
