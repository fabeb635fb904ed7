import type { Grounding } from './reply/grounding';

/** Postgres text cannot hold U+0000: an engine that emits it must not make a reply unstorable. */
export const storable = (text: string) => text.replaceAll('\u0000', '\uFFFD');

/** The grounding as the trace stores it: the case, the item ids, and the score against the threshold. */
export function groundingTrace(grounding: Grounding) {
  const { items, ...rest } = grounding;
  return { ...rest, itemIds: items.map((r) => r.item.id) };
}

/** Timings rounded to hundredths of a millisecond, as traces show them. */
export function round<T extends Record<string, number>>(timings: T): T {
  return Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 100) / 100])) as T;
}
