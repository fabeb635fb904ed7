import type { KnowledgeItem } from '../knowledge.types';
import { newestUserTurn, type ResolvedTurn } from './dialogue-turn';
import type { KnowledgeIndex } from './knowledge-index';
import { isQuestion } from './question-match';

/** What the turns so far say about the conversation: who is in focus, what was already said. */
export interface DialogueState {
  /** Entity → salience in (0, 1]: XDAI recency decay α^(t−i) of its latest mention. */
  salience: Map<string, number>;
  /** Entities of the most recent turn that mentions any, the focus carried across turns. */
  focus: Set<string>;
  /** Item id → how many turns ago it was last used (0 = the newest turn). */
  usedAgo: Map<string, number>;
  /** Relation → cue strength, from the newest user turn (full) and the user turn before (damped). */
  cues: Map<string, number>;
  /** Relation → cue strength in the newest user turn alone. */
  newestCues: Map<string, number>;
  /** Entities first named in the newest turn. */
  newEntities: Set<string>;
  /** Entities named in the newest user turn. */
  newestNamed: Set<string>;
  /** Facts whose (specific) value the newest user turn names: "冰墩墩是什么？". */
  newestValues: Set<KnowledgeItem>;
  /** Position of the newest user turn (−1 when none). */
  newest: number;
}

const normalizeText = (text: string) => text.replace(/[\s\p{P}\p{S}]+/gu, '');

export function bigrams(text: string): Set<string> {
  const chars = Array.from(normalizeText(text));
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return grams;
}

/** Whether `turn` (already normalized) voices `item`: its value appears, or it paraphrases a description. */
function usesItem(
  index: KnowledgeIndex,
  item: KnowledgeItem,
  turn: string,
  turnGrams: Set<string>,
  mentioned: Set<string>,
): boolean {
  if (index.isDescription(item)) {
    if (turnGrams.size < 6) return false;
    const description = index.descriptionBigrams(item);
    let shared = 0;
    for (const gram of turnGrams) if (description.has(gram)) shared++;
    return shared / turnGrams.size >= 0.45;
  }
  if (item.kind === 'qa')
    return normalizeText(item.answer ?? '').length >= 4 && turn.includes(normalizeText(item.answer ?? '').slice(0, 12));
  const tail = normalizeText(item.tail ?? '');
  if (tail.length === 0) return false;
  if (mentioned.has(item.tail ?? '')) return true;
  if (tail.length >= 2 && turn.includes(tail.length > 16 ? tail.slice(0, 16) : tail)) return true;
  return voicesNumber(turn, tail);
}

/**
 * Whether a turn says a value without quoting it whole: the value's longest number of four or
 * more digits (a year, an amount) appears ("1964年底生人" for 1964年11月29日, "$52,000,000" for
 * "$52,000,000 (estimated)"). Only the knowledge of entities in play is checked, so the number
 * says which of their facts was meant.
 */
function voicesNumber(turn: string, value: string): boolean {
  const numbers = value.match(/\d{4,}/g);
  if (!numbers) return false;
  return turn.includes(numbers.reduce((a, b) => (b.length > a.length ? b : a)));
}

/**
 * 他/她 and 这位 point at a person, 它 and 这部 (the classifier of works) at a thing; "其他" and "他们"
 * are not such pronouns.
 */
const PERSONAL = /(?<!其)[他她](?!们)|[这那]位/;
const IMPERSONAL = /它(?!们)|[这那]部/;

/**
 * A pronoun agrees with its referent: when the newest turn says 他/她 (or 它) and the focus holds
 * no person (or no thing), the most salient entity that agrees becomes the focus. Who is a person
 * comes from the knowledge base (see RelationCues.persons).
 */
function resolvePronoun(
  index: KnowledgeIndex,
  text: string,
  focus: Set<string>,
  salience: Map<string, number>,
): Set<string> {
  const personal = PERSONAL.test(text);
  if (personal === IMPERSONAL.test(text)) return focus;
  const agrees = (entity: string) => index.cues.persons.has(entity) === personal;
  if ([...focus].some(agrees)) return new Set([...focus].filter(agrees));
  let best: string | undefined;
  for (const [entity, value] of salience) if (agrees(entity) && (!best || value > salience.get(best)!)) best = entity;
  return best ? new Set([best]) : focus;
}

/** Weight of an entity merely mentioned in a turn that voices another entity's knowledge. */
const SUBORDINATE_MENTION = 0.5;
/** A cue in the user turn before the newest still says what the user is after, more weakly. */
const PREVIOUS_CUE_DAMPING = 0.3;

/**
 * Reads the dialogue: entity salience with XDAI recency decay, the focus carried across turns,
 * the knowledge each turn already voiced, and relation cues. An entity whose knowledge a turn
 * voices is that turn's subject even when unnamed ("它的开放时间是…"); other entities named in
 * passing count less, so the focus does not drift to every place a description mentions.
 * Persona turns voice knowledge (by text and by the ids their trace recorded) and name entities,
 * but cue nothing: only the user asks.
 */
export function readDialogue(index: KnowledgeIndex, turns: ResolvedTurn[], alpha: number): DialogueState {
  const t = turns.length - 1;
  const newest = newestUserTurn(turns);
  const salience = new Map<string, number>();
  const usedAgo = new Map<string, number>();
  const voicedRelations: Set<string>[] = [];
  let focus = new Set<string>();
  const newEntities = new Set<string>();
  let newestNamed = new Set<string>();
  let newestValues = new Set<KnowledgeItem>();
  const seen = new Set<string>();
  turns.forEach((turn, i) => {
    const mentioned = new Set(index.linker.link(turn.text).map((m) => m.entity));
    for (const entity of mentioned) {
      if (i === t && !seen.has(entity)) newEntities.add(entity);
      seen.add(entity);
    }
    const normalized = normalizeText(turn.text);
    const grams = bigrams(turn.text);
    const subjects = new Set<string>();
    const voiced = new Set<string>();
    const markUsed = (item: KnowledgeItem) => {
      usedAgo.set(item.id, t - i);
      voiced.add(index.isDescription(item) ? 'Information' : (item.relation ?? ''));
    };
    // A question naming a value asks about it ("冰墩墩是什么？"); a statement naming it voices it.
    const values = index.valueFacts(turn.text);
    // Only the newest question is still open; an older one was answered by the turn after it.
    const asking = i === newest && isQuestion(turn.text);
    if (i === newest) {
      newestNamed = mentioned;
      newestValues = new Set(values);
    }
    for (const item of values) {
      if (!asking) markUsed(item);
      subjects.add(item.head!);
    }
    // Only the entities in play can have had their knowledge voiced in this turn.
    for (const entity of new Set([...mentioned, ...focus])) {
      for (const item of index.byEntity.get(entity) ?? []) {
        if (asking && values.includes(item)) continue;
        if (!usesItem(index, item, normalized, grams, mentioned)) continue;
        markUsed(item);
        subjects.add(entity);
      }
    }
    for (const id of turn.usedItemIds) {
      const position = index.itemPosition.get(id);
      if (position === undefined) continue;
      const item = index.items[position];
      markUsed(item);
      if (item.kind === 'qa') for (const entity of index.questionEntities(item)) subjects.add(entity);
      else if (item.head) subjects.add(item.head);
    }
    voicedRelations.push(voiced);
    const decay = Math.pow(alpha, t - i);
    const inPlay = new Map<string, number>();
    for (const entity of subjects) inPlay.set(entity, 1);
    for (const entity of mentioned)
      if (!inPlay.has(entity)) inPlay.set(entity, subjects.size > 0 ? SUBORDINATE_MENTION : 1);
    for (const [entity, weight] of inPlay) salience.set(entity, (salience.get(entity) ?? 0) + decay * weight);
    if (inPlay.size > 0) focus = new Set([...inPlay].filter(([, w]) => w === 1).map(([e]) => e));
  });
  // A relation named in a turn that also voiced it was being answered, not asked about.
  const cuesOf = (i: number, damping: number) => {
    const found = new Map<string, number>();
    if (i < 0) return found;
    for (const [relation, strength] of index.cues.detect(turns[i].text)) {
      if (!voicedRelations[i].has(relation)) found.set(relation, strength * damping);
    }
    return found;
  };
  const newestCues = cuesOf(newest, 1);
  let previous = newest - 1;
  while (previous >= 0 && turns[previous].speaker !== 'user') previous--;
  const cues = cuesOf(previous, PREVIOUS_CUE_DAMPING);
  for (const [relation, strength] of newestCues) cues.set(relation, Math.max(cues.get(relation) ?? 0, strength));
  const max = Math.max(0, ...salience.values());
  if (max > 0) for (const [entity, value] of salience) salience.set(entity, value / max);
  if (newest >= 0 && newestNamed.size === 0) focus = resolvePronoun(index, turns[newest].text, focus, salience);
  return { salience, focus, usedAgo, cues, newestCues, newEntities, newestNamed, newestValues, newest };
}
