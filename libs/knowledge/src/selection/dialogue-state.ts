import type { KnowledgeItem } from '../knowledge.types';
import type { KnowledgeIndex } from './knowledge-index';

/** What the turns so far say about the conversation: who is in focus, what was already said. */
export interface DialogueState {
  /** Entity → salience in (0, 1]: XDAI recency decay α^(t−i) of its latest mention. */
  salience: Map<string, number>;
  /** Entities of the most recent turn that mentions any, the focus carried across turns. */
  focus: Set<string>;
  /** Item id → how many turns ago it was last used (0 = the newest turn). */
  usedAgo: Map<string, number>;
  /** Relation → cue strength, from the newest turn (full) and the one before (damped). */
  cues: Map<string, number>;
  /** Entities first named in the newest turn. */
  newEntities: Set<string>;
}

const normalizeText = (text: string) => text.replace(/[\s\p{P}\p{S}]+/gu, '');

export function bigrams(text: string): Set<string> {
  const chars = Array.from(normalizeText(text));
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return grams;
}

/** Whether `turn` (already normalized) voices `item`: its value appears, or it paraphrases a description. */
function usesItem(index: KnowledgeIndex, item: KnowledgeItem, turn: string, turnGrams: Set<string>, mentioned: Set<string>): boolean {
  if (index.isDescription(item)) {
    if (turnGrams.size < 6) return false;
    const description = index.descriptionBigrams(item);
    let shared = 0;
    for (const gram of turnGrams) if (description.has(gram)) shared++;
    return shared / turnGrams.size >= 0.45;
  }
  if (item.kind === 'qa') return normalizeText(item.answer ?? '').length >= 4 && turn.includes(normalizeText(item.answer ?? '').slice(0, 12));
  const tail = normalizeText(item.tail ?? '');
  if (tail.length === 0) return false;
  if (mentioned.has(item.tail ?? '')) return true;
  return tail.length >= 2 && turn.includes(tail.length > 16 ? tail.slice(0, 16) : tail);
}

/** Weight of an entity merely mentioned in a turn that voices another entity's knowledge. */
const SUBORDINATE_MENTION = 0.5;

/**
 * Reads the dialogue: entity salience with XDAI recency decay, the focus carried across turns,
 * the knowledge each turn already voiced, and relation cues. An entity whose knowledge a turn
 * voices is that turn's subject even when unnamed ("它的开放时间是…"); other entities named in
 * passing count less, so the focus does not drift to every place a description mentions.
 */
export function readDialogue(index: KnowledgeIndex, turns: string[], alpha: number): DialogueState {
  const t = turns.length - 1;
  const salience = new Map<string, number>();
  const usedAgo = new Map<string, number>();
  const voicedRelations: Set<string>[] = [];
  let focus = new Set<string>();
  const newEntities = new Set<string>();
  const seen = new Set<string>();
  turns.forEach((turn, i) => {
    const mentioned = new Set(index.linker.link(turn).map((m) => m.entity));
    for (const entity of mentioned) {
      if (i === t && !seen.has(entity)) newEntities.add(entity);
      seen.add(entity);
    }
    const normalized = normalizeText(turn);
    const grams = bigrams(turn);
    const subjects = new Set<string>();
    const voiced = new Set<string>();
    // Only the entities in play can have had their knowledge voiced in this turn.
    for (const entity of new Set([...mentioned, ...focus])) {
      for (const item of index.byEntity.get(entity) ?? []) {
        if (!usesItem(index, item, normalized, grams, mentioned)) continue;
        usedAgo.set(item.id, t - i);
        subjects.add(entity);
        voiced.add(index.isDescription(item) ? 'Information' : (item.relation ?? ''));
      }
    }
    voicedRelations.push(voiced);
    const decay = Math.pow(alpha, t - i);
    const inPlay = new Map<string, number>();
    for (const entity of subjects) inPlay.set(entity, 1);
    for (const entity of mentioned) if (!inPlay.has(entity)) inPlay.set(entity, subjects.size > 0 ? SUBORDINATE_MENTION : 1);
    for (const [entity, weight] of inPlay) salience.set(entity, (salience.get(entity) ?? 0) + decay * weight);
    if (inPlay.size > 0) focus = new Set([...inPlay].filter(([, w]) => w === 1).map(([e]) => e));
  });
  // A relation named in a turn that also voiced it was being answered, not asked about.
  const cues = new Map<string, number>();
  const addCues = (i: number, damping: number) => {
    for (const [relation, strength] of index.cues.detect(turns[i])) {
      if (voicedRelations[i].has(relation)) continue;
      cues.set(relation, Math.max(cues.get(relation) ?? 0, strength * damping));
    }
  };
  if (t >= 1) addCues(t - 1, 0.3);
  if (t >= 0) addCues(t, 1);
  const max = Math.max(0, ...salience.values());
  if (max > 0) for (const [entity, value] of salience) salience.set(entity, value / max);
  return { salience, focus, usedAgo, cues, newEntities };
}
