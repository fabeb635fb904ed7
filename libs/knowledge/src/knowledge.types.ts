/** What a knowledge item is: a QA pair, a background description of an entity, or a fact (triple). */
export type KnowledgeKind = 'qa' | 'description' | 'fact';

/** Relation name that marks a triple as a background description (as in KdConv). */
export const DESCRIPTION_RELATION = 'Information';

/**
 * One piece of knowledge as selection sees it. Facts and descriptions hang off an entity (`head`);
 * QA items may mention entities in their question.
 */
export interface KnowledgeItem {
  id: string;
  kind: KnowledgeKind;
  head?: string;
  relation?: string;
  tail?: string;
  question?: string;
  answer?: string;
  text?: string;
}

/** An entity of the knowledge graph, with the other names it goes by. */
export interface KnowledgeEntityRecord {
  name: string;
  aliases: string[];
}

/** Why an item was selected: each signal's contribution, so traces can explain a reply. */
/** Score parts; `relationCue` is, for a QA pair, how closely the utterance matches its question. */
export interface ScoreParts {
  entity: number;
  relationCue: number;
  prior: number;
  novelty: number;
  lexical: number;
  dense: number;
  /** How well the item answers the newest user turn alone, in [0, 1] (see the knowledge README). */
  newest: number;
  fused: number;
}

export interface RankedKnowledge {
  item: KnowledgeItem;
  score: number;
  parts: ScoreParts;
}
