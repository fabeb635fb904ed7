import { HashingEmbedder } from '../embedding/hashing-embedder';
import type { KnowledgeItem } from '../knowledge.types';
import type { DialogueTurn } from '../selection/dialogue-turn';
import { KnowledgeIndex } from '../selection/knowledge-index';
import { selectKnowledge } from '../selection/knowledge-selector';
import {
  type KdConvDialogue,
  type KdConvKb,
  type RecallReport,
  type SelectionCase,
  kdconvCases,
  kdconvItems,
  recallAtK,
} from './kdconv';

/**
 * The baseline selection is measured against: entities linked in the two newest turns propose
 * their knowledge, ranked by BM25 over those two turns; plain BM25 fills the rest of the list.
 * It is what "entity linking + lexical search" gives with no dialogue state at all.
 */
export function linkThenBm25(index: KnowledgeIndex, turns: string[], top: number): KnowledgeItem[] {
  const recent = turns.slice(-2).join(' ');
  const query = new Map<string, number>();
  for (const token of index.tokenizer.tokens(recent)) query.set(token, (query.get(token) ?? 0) + 1);
  const lexical = index.bm25.search(query);
  const linked = new Set(index.linker.link(recent).map((m) => m.entity));
  const score = new Map(lexical.map(([position, value]) => [position, value]));
  const proposed = [...linked]
    .flatMap((entity) => index.byEntity.get(entity) ?? [])
    .map((item) => ({ item, score: score.get(index.itemPosition.get(item.id)!) ?? 0 }))
    .sort((a, b) => b.score - a.score)
    .map(({ item }) => item);
  const out = new Set<KnowledgeItem>(proposed.slice(0, top));
  for (const [position] of lexical) {
    if (out.size >= top) break;
    out.add(index.items[position]);
  }
  return [...out];
}

export interface EvalOptions {
  alpha?: number;
  /** Keeps the dialogues whose position passes (e.g. alternating halves). */
  filter?: (dialogue: number) => boolean;
  /** Reads the two sides as speakers: the side of the message to predict is the persona. */
  speakers?: boolean;
}

/** KdConv's messages alternate: the one to predict, and every second one before it, are the persona's. */
export function withSpeakers(turns: string[]): DialogueTurn[] {
  return turns.map((text, i) => ({ text, speaker: (turns.length - i) % 2 === 0 ? 'persona' : 'user' }));
}

export interface DomainReport {
  ours: RecallReport;
  baseline: RecallReport;
  /** Index build time and mean selection time per case, in milliseconds. */
  indexMs: number;
  selectMs: number;
}

/**
 * Recall@k of our selection and of the link-then-BM25 baseline on one KdConv-format domain,
 * both measured in the same run over the same index. `filter` keeps a subset of the dialogues
 * (e.g. alternating halves, to check that the figures do not hinge on a few dialogues).
 */
export function evaluateDomain(
  kb: KdConvKb,
  dialogues: KdConvDialogue[],
  ks: number[],
  options: EvalOptions = {},
): DomainReport {
  const started = performance.now();
  const index = new KnowledgeIndex(kdconvItems(kb), [], new HashingEmbedder());
  const built = performance.now();
  const cases: SelectionCase[] = kdconvCases(dialogues).filter(
    (c) => !options.filter || options.filter(Number(c.id.split(':')[0])),
  );
  const top = Math.max(...ks);
  const turnsOf = (c: SelectionCase) => (options.speakers ? withSpeakers(c.turns) : c.turns);
  const ours = recallAtK(
    cases,
    (c) => selectKnowledge(index, turnsOf(c), { top, alpha: options.alpha }).map((r) => r.item),
    ks,
  );
  const selected = performance.now();
  const baseline = recallAtK(cases, (c) => linkThenBm25(index, c.turns, top), ks);
  return { ours, baseline, indexMs: built - started, selectMs: (selected - built) / Math.max(1, cases.length) };
}
