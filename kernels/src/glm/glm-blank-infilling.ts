/**
 * GLM's blank infilling layout (the GLM paper, §2.2): Part A is the context with a mask token
 * ([MASK], [sMASK] or [gMASK]), seen bidirectionally; Part B is `<sop>` and the span generated
 * for the mask, causal. Token t of a sequence has the 2-D position
 *   Part A: (t, 0)        Part B: (position of the mask, 1 + its index in Part B)
 * A sequence without a mask token is plain left-to-right text: (t, 0) everywhere, nothing
 * bidirectional — which a 2-D model computes exactly as its 1-D self.
 */
export interface BlankInfillingLayout {
  /** Index of the mask token the span fills. */
  maskPosition: number;
  /** Index of the first Part B token (`<sop>`); every token before it is context (Part A). */
  spanStart: number;
}

/** The token ids that mark blanks and span starts, looked up from a tokenizer. */
export interface BlankInfillingTokens {
  masks: readonly number[];
  sop: number | undefined;
}

/**
 * The layout of a prompt: the first mask token is the blank; Part B starts at the first `<sop>`
 * after it (or, with none, right after the prompt: the generated tokens are the span). Null when
 * the prompt has no mask token.
 */
export function blankInfillingLayout(
  ids: readonly number[],
  tokens: BlankInfillingTokens,
): BlankInfillingLayout | null {
  const masks = new Set(tokens.masks);
  const maskPosition = ids.findIndex((id) => masks.has(id));
  if (maskPosition < 0) return null;
  const sop = tokens.sop === undefined ? -1 : ids.indexOf(tokens.sop, maskPosition + 1);
  return { maskPosition, spanStart: sop < 0 ? ids.length : sop };
}

/** The 2-D position [channel 0, channel 1] of token t. */
export function glmPosition2d(layout: BlankInfillingLayout | null | undefined, t: number): [number, number] {
  if (!layout || t < layout.spanStart) return [t, 0];
  return [layout.maskPosition, t - layout.spanStart + 1];
}

/** Whether token t is context (Part A), which every query attends to. */
export const inContext = (layout: BlankInfillingLayout | null | undefined, t: number): boolean =>
  !!layout && t < layout.spanStart;
