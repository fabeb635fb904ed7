import type { PromptKnowledge } from '@zhibing/prompt';

/** What a persona reply rested on, as later turns read it: stored with the reply, never read from its trace. */
export interface Recall {
  /** The knowledge the reply was grounded in: selection does not let the persona's own words pull it back. */
  itemIds: string[];
  /** Up to two QA items, re-injected before this exchange when history selection keeps it. */
  qa: PromptKnowledge[];
}

interface TraceShape {
  knowledge?: (PromptKnowledge & { parts?: unknown })[] | null;
  grounding?: { itemIds?: string[] | null } | null;
}

/**
 * A reply's recall from its trace: the grounded item ids, and the QA knowledge it was grounded in
 * (a trace from before grounding was recorded: its top QA items).
 */
export function recallFromTrace(trace: unknown): Recall {
  // Fields a trace lacks arrive as null (read with jsonb_build_object) or undefined.
  const knowledge = (trace as TraceShape | null)?.knowledge ?? [];
  const grounding = (trace as TraceShape | null)?.grounding;
  const itemIds = grounding?.itemIds ?? [];
  const used = grounding ? knowledge.filter((k) => itemIds.includes(k.id)) : knowledge;
  return {
    itemIds,
    qa: used
      .filter((k) => k.kind === 'qa')
      .slice(0, 2)
      // The score parts explain selection in the trace; the prompt needs only the item.
      .map(({ parts: _parts, ...item }) => item),
  };
}
