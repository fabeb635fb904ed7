import { DESCRIPTION_RELATION, type KnowledgeItem } from '../knowledge.types';

/** KdConv's knowledge base file: `{entity: [[head, relation, tail], ...]}`. */
export type KdConvKb = Record<string, [string, string, string][]>;

export interface KdConvDialogue {
  name?: string;
  messages: { message: string; attrs?: { name: string; attrname: string; attrvalue: string }[] }[];
}

/** One evaluation case: the turns before message j and the triples message j used. */
export interface SelectionCase {
  id: string;
  turns: string[];
  gold: { head: string; relation: string; tail: string }[];
}

/** Stable content key of a triple, used for ids and for matching gold triples. */
export const tripleKey = (head: string, relation: string, tail: string) => `${head}\u241f${relation}\u241f${tail}`;

/** The KB's triples as knowledge items, duplicates removed; `Information` triples are descriptions. */
export function kdconvItems(kb: KdConvKb): KnowledgeItem[] {
  const items = new Map<string, KnowledgeItem>();
  for (const triples of Object.values(kb)) {
    for (const [head, relation, tail] of triples) {
      const id = tripleKey(head, relation, tail);
      if (items.has(id)) continue;
      items.set(
        id,
        relation === DESCRIPTION_RELATION
          ? { id, kind: 'description', head, relation, tail, text: tail }
          : { id, kind: 'fact', head, relation, tail },
      );
    }
  }
  return [...items.values()];
}

/** Every message with knowledge (after the first) becomes a case: the messages before it are its turns. */
export function kdconvCases(dialogues: KdConvDialogue[]): SelectionCase[] {
  const cases: SelectionCase[] = [];
  dialogues.forEach((dialogue, d) => {
    dialogue.messages.forEach((message, j) => {
      if (j === 0 || !message.attrs?.length) return;
      cases.push({
        id: `${d}:${j}`,
        turns: dialogue.messages.slice(0, j).map((m) => m.message),
        gold: message.attrs.map((a) => ({ head: a.name, relation: a.attrname, tail: a.attrvalue })),
      });
    });
  });
  return cases;
}

export interface RecallReport {
  cases: number;
  triples: number;
  /** k → share of gold triples found among the top k (micro-averaged over triples). */
  recall: Record<number, number>;
}

/** Recall@k of the gold triples among the selected items of each case. */
export function recallAtK(
  cases: SelectionCase[],
  selected: (c: SelectionCase) => { head?: string; relation?: string; tail?: string }[],
  ks: number[],
): RecallReport {
  const hits: Record<number, number> = Object.fromEntries(ks.map((k) => [k, 0]));
  let triples = 0;
  for (const c of cases) {
    const ranked = selected(c).map((s) => tripleKey(s.head ?? '', s.relation ?? '', s.tail ?? ''));
    for (const gold of c.gold) {
      triples++;
      const rank = ranked.indexOf(tripleKey(gold.head, gold.relation, gold.tail));
      for (const k of ks) if (rank >= 0 && rank < k) hits[k]++;
    }
  }
  return {
    cases: cases.length,
    triples,
    recall: Object.fromEntries(ks.map((k) => [k, triples ? hits[k] / triples : 0])),
  };
}
