/** A knowledge item as the API and traces carry it (QA pair, description or fact). */
export interface KnowledgeView {
  id: string;
  kind: string;
  question?: string;
  answer?: string;
  head?: string;
  relation?: string;
  tail?: string;
  text?: string;
  source?: string;
  score?: number;
  parts?: Record<string, number>;
}

/** One line of text for an item, whatever its kind. */
export function itemText(k: KnowledgeView): string {
  if (k.kind === 'qa') return `${k.question ?? ''} → ${k.answer ?? ''}`;
  if (k.kind === 'fact') return `${k.head ?? ''} · ${k.relation ?? ''} · ${k.tail ?? ''}`;
  return `${k.head ?? ''}: ${k.text ?? k.tail ?? ''}`;
}

export const round = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3));

export function scoreParts(parts: Record<string, number> | undefined): string {
  return Object.entries(parts ?? {})
    .map(([name, v]) => `${name} ${round(v)}`)
    .join(' · ');
}
