import type { KnowledgeItem, RankedKnowledge, ScoreParts } from '../knowledge.types';
import { readDialogue } from './dialogue-state';
import { type DialogueTurn, type ResolvedTurn, newestUserTurn, resolveTurns } from './dialogue-turn';
import type { KnowledgeIndex } from './knowledge-index';
import { requireSync } from '../embedding/embedder.port';
import { NewestScorer, QA_TOPIC } from './newest-score';

export interface SelectionOptions {
  top: number;
  /** Recency decay of XDAI history weighting, score_i = alpha^(t−i) · sim. */
  alpha?: number;
  /** Dense matches from an external vector index as [item position, cosine]; default: in memory. */
  dense?: [number, number][];
}

/** How much each signal counts; set once from principles (see README), not per data set. */
const WEIGHTS = {
  /** Prior of a relation being voiced when nothing cues it: descriptions introduce an entity. */
  descriptionPrior: 1.0,
  factPrior: 0.55,
  neighbourPrior: 0.45,
  cue: 3,
  /** Already-voiced knowledge is less likely to be voiced again, the more so the longer ago. */
  /** Facts are voiced once; a description is often talked about over several turns. */
  factUsed: 0.1,
  descriptionUsedInNewestTurn: 1.0,
  descriptionUsedEarlier: 0.5,
  /** An entity named for the first time in the newest turn is usually introduced next. */
  newEntityDescription: 1.5,
  focusBonus: 0.5,
  rrfK: 10,
  lexicalWeight: 0.25,
  denseWeight: 0.15,
  qaEntity: 0.9,
  /** A QA pair reached only through lexical or dense similarity. */
  qaWithoutEntity: 0.3,
  /**
   * When the newest turn names an entity or asks a stored question, what is reached only through
   * older turns steps back: the user has moved on, and history only supports the new topic. At a
   * fifth, such an item leads only with about five times the evidence, whatever the domain.
   */
  olderOnly: 0.2,
  /**
   * Question match that makes any QA pair a candidate: about one shared bigram. Being a candidate
   * only lets the pair be scored; a weak match still scores low.
   */
  qaCandidate: 0.1,
  /**
   * A voiced QA pair is offered again only when the newest turn asks its question this closely:
   * above QA_TOPIC (on the pair's topic), since asking again means asking nearly the same words.
   */
  qaRepeat: 0.6,
};

/**
 * XDAI-style knowledge selection for the reply to the newest turn: entities linked in the
 * dialogue (the focus carried across turns) propose their facts, descriptions and QA items;
 * relation cues in the question, recency and novelty rank them; BM25 and dense similarity over
 * the recency-weighted history add what the graph does not reach; the lists are fused.
 */
export function selectKnowledge(
  index: KnowledgeIndex,
  dialogue: readonly (string | DialogueTurn)[],
  options: SelectionOptions,
): RankedKnowledge[] {
  const alpha = options.alpha ?? 0.5;
  const turns = resolveTurns(dialogue);
  const state = readDialogue(index, turns, alpha);
  const newestScorer = new NewestScorer(index, state, turns[state.newest]?.text ?? '');
  const parts = new Map<string, ScoreParts>();
  const partsOf = (item: KnowledgeItem): ScoreParts => {
    let p = parts.get(item.id);
    if (!p)
      parts.set(
        item.id,
        (p = { entity: 0, relationCue: 0, prior: 0, novelty: 1, lexical: 0, dense: 0, newest: 0, fused: 0 }),
      );
    return p;
  };

  // 1. Graph: the salient entities' knowledge, scored by focus, cue, prior and novelty.
  const graph: { item: KnowledgeItem; score: number }[] = [];
  for (const [entity, salience] of state.salience) {
    const entityScore = salience + (state.focus.has(entity) ? WEIGHTS.focusBonus : 0);
    for (const item of index.byEntity.get(entity) ?? []) {
      const p = partsOf(item);
      const description = index.isDescription(item);
      p.entity = entityScore;
      const neighbours = index.neighbourCount.get(entity) ?? 1;
      p.prior = description
        ? WEIGHTS.descriptionPrior * (state.newEntities.has(entity) ? WEIGHTS.newEntityDescription : 1)
        : item.tail && index.byEntity.has(item.tail)
          ? WEIGHTS.neighbourPrior / Math.sqrt(neighbours)
          : WEIGHTS.factPrior;
      p.relationCue = state.cues.get(description ? 'Information' : (item.relation ?? '')) ?? 0;
      const ago = state.usedAgo.get(item.id);
      p.novelty =
        ago === undefined
          ? 1
          : !description
            ? WEIGHTS.factUsed
            : ago === 0
              ? WEIGHTS.descriptionUsedInNewestTurn
              : WEIGHTS.descriptionUsedEarlier;
      graph.push({ item, score: entityScore * (p.prior + WEIGHTS.cue * p.relationCue) * p.novelty });
    }
    for (const item of index.qaByEntity.get(entity) ?? []) partsOf(item).entity = entityScore * WEIGHTS.qaEntity;
  }

  // 2. Lexical and dense similarity to the recency-weighted user turns (newest counts most). The
  //    persona's own replies stay out: they would pull back the very items they were made from.
  const query = new Map<string, number>();
  turns.forEach((turn, i) => {
    const weight = Math.pow(alpha, turns.length - 1 - i);
    if (weight < 0.1 || turn.speaker !== 'user') return;
    for (const token of index.tokenizer.tokens(turn.text)) query.set(token, (query.get(token) ?? 0) + weight);
  });
  const lexical = index.bm25.search(query, 50);
  const dense = options.dense ?? denseMatches(index, requireSync(index.embedder).embedSync(denseQuery(turns)));
  for (const [position, score] of lexical) partsOf(index.items[position]).lexical = score;
  for (const [position, score] of dense) partsOf(index.items[position]).dense = score;

  // QA pairs answer their own question: the closer the newest turn is to the question, the
  // stronger the pair, whether or not the linker found an entity in it.
  const qaCandidates = new Set<KnowledgeItem>();
  for (const [entity] of state.salience) for (const item of index.qaByEntity.get(entity) ?? []) qaCandidates.add(item);
  for (const [position] of [...lexical, ...dense])
    if (index.items[position].kind === 'qa') qaCandidates.add(index.items[position]);
  // Every stored question the newest turn shares wording with: segmentation can hide a shared word
  // from BM25 (地铁 / 地铁站); an inverted index of question bigrams finds them.
  for (const item of index.questionsSharingWording(newestScorer.text)) {
    if (newestScorer.qa(item) >= WEIGHTS.qaCandidate) qaCandidates.add(item);
  }
  for (const item of qaCandidates) {
    const p = partsOf(item);
    p.prior = WEIGHTS.descriptionPrior;
    p.relationCue = newestScorer.qa(item);
    if (state.usedAgo.has(item.id) && p.relationCue < WEIGHTS.qaRepeat) p.novelty = WEIGHTS.factUsed;
    graph.push({
      item,
      score: Math.max(p.entity, WEIGHTS.qaWithoutEntity) * (p.prior + WEIGHTS.cue * p.relationCue) * p.novelty,
    });
  }
  graph.sort((a, b) => b.score - a.score);

  // 3. Weighted reciprocal rank fusion: the graph list leads, the similarity lists break ties and
  //    bring in knowledge of entities the linker did not see.
  const fused = new Map<string, number>();
  const add = (id: string, rank: number, weight: number) =>
    fused.set(id, (fused.get(id) ?? 0) + weight / (WEIGHTS.rrfK + rank));
  graph.forEach(({ item, score }, rank) => add(item.id, rank, 1 + score));
  lexical.forEach(([position], rank) => add(index.items[position].id, rank, WEIGHTS.lexicalWeight));
  dense.forEach(([position], rank) => add(index.items[position].id, rank, WEIGHTS.denseWeight));

  // 4. The newest user turn decides the topic (README: "parts.newest").
  const scored = [...fused].map(([id, score]) => {
    const item = index.items[index.itemPosition.get(id)!];
    const p = partsOf(item);
    p.newest = item.kind === 'qa' ? p.relationCue : newestScorer.score(item);
    return { item, score, p };
  });
  const topical = newestScorer.names || scored.some(({ item, p }) => item.kind === 'qa' && p.newest >= QA_TOPIC);
  const ranked: RankedKnowledge[] = [];
  for (const { item, score, p } of scored) {
    p.fused = topical && !newestScorer.anchored(item, p.newest) ? score * WEIGHTS.olderOnly : score;
    ranked.push({ item, score: p.fused, parts: p });
  }
  ranked.sort((a, b) => b.score - a.score);
  return dedupe(ranked).slice(0, options.top);
}

/** What dense retrieval embeds: the newest user turn (older turns reach selection through the graph and BM25). */
export function denseQuery(dialogue: readonly (string | DialogueTurn)[]): string {
  const turns: ResolvedTurn[] = resolveTurns(dialogue);
  return turns[newestUserTurn(turns)]?.text ?? '';
}

/** In-memory dense matches of a query vector as [item position, cosine], best first. */
export function denseMatches(index: KnowledgeIndex, query: Float32Array): [number, number][] {
  return index.nearest(query, 0.2, 50);
}

/** The same fact imported twice (KdConv lists some triples twice) is one piece of knowledge. */
function dedupe(ranked: RankedKnowledge[]): RankedKnowledge[] {
  const seen = new Set<string>();
  return ranked.filter(({ item }) => {
    const key = `${item.kind}|${item.head}|${item.relation}|${item.tail}|${item.question}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
