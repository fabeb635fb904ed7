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
 * (GroupQueryAttention, which counts the mask's ones as the row's length): [past][new][pad].
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
  rows.forEach(({ past, input, layout }, b) => {
    const padPast = pastMax - past;
    const padNew = width - input.length;
    if (right) {
      for (let j = 0; j < past + input.length; j++) mask[b * total + j] = 1n;
    } else {
      for (let j = padPast; j < pastMax; j++) mask[b * total + j] = 1n;
      for (let i = 0; i < input.length; i++) mask[b * total + pastMax + padNew + i] = 1n;
    }
    input.forEach((id, i) => {
      ids[b * width + padNew + i] = BigInt(id);
      if (!twoD) positions[b * width + padNew + i] = BigInt(past + i);
      else {
        const [first, second] = glmPosition2d(layout, past + i);
        positions[2 * b * width + padNew + i] = BigInt(first);
        positions[(2 * b + 1) * width + padNew + i] = BigInt(second);
      }
    });
    // Token t's column in the window, in the layout the mask above describes.
    const column = (t: number) => (right ? t : t < past ? padPast + t : pastMax + padNew + t - past);
    for (let t = 0; prefix && t < past + input.length; t++) {
      if (inContext(layout, t)) prefix[b * total + column(t)] = 1n;
    }
  });
  return { ids, mask, positions, prefix, total };
}
