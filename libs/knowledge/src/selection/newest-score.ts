import { DESCRIPTION_RELATION, type KnowledgeItem } from '../knowledge.types';
import type { DialogueState } from './dialogue-state';
import type { KnowledgeIndex } from './knowledge-index';
import { questionMatch, refersBack, weightedBigrams } from './question-match';

/**
 * Levels of `parts.newest` for facts and descriptions. They grade how directly an item answers
 * the newest user turn on its own, so they are ordinal by construction, not fitted: named > a
 * follow-up with a pronoun or a cue > a follow-up without either; the relation asked > a
 * description that holds a word the turn asks about > a description when nothing specific is
 * asked > a fact nobody asked for > a relation other than the one asked.
 */
const LEVEL = {
  followUp: 0.8,
  weakFollowUp: 0.4,
  ownEntityOfValue: 0.8,
  descriptionUncued: 0.6,
  descriptionMentionsAsked: 0.8,
  factUncued: 0.35,
  otherRelationCued: 0.15,
  /** A passage whose words hold all the turn asks (scaled by the share it holds). */
  passage: 0.6,
  /** A cued relation scores cuedBase + (1 − cuedBase) × cue strength: any cue of it is "asked". */
  cuedBase: 0.5,
};
/** A QA pair whose question the newest turn asks this closely is "the" answer (see README). */
export const QA_TOPIC = 0.4;

/** Scores how well each item answers the newest user turn alone, in [0, 1] (README: "parts.newest"). */
export class NewestScorer {
  private readonly utterance: Map<string, number>;
  /** Entity → whether the newest turn cues one of its relations other than its description. */
  private readonly specificCue = new Map<string, boolean>();
  private readonly valueHeads = new Set<string>();
  private readonly qaMatches = new Map<string, number>();
  private readonly asked: string[];
  readonly text: string;

  constructor(
    private readonly index: KnowledgeIndex,
    private readonly state: DialogueState,
    newestText: string,
  ) {
    this.text = newestText;
    this.utterance = weightedBigrams(newestText);
    // What the turn asks about besides the names it uses: its words of two or more characters.
    const names = new Set(index.linker.link(newestText).map((m) => m.entity));
    this.asked = index.tokenizer.tokens(newestText).filter((w) => w.length >= 2 && !names.has(w));
    for (const item of state.newestValues) if (item.head) this.valueHeads.add(item.head);
  }

  /** Whether the newest turn itself points somewhere: it names an entity or a value. */
  get names(): boolean {
    return this.state.newestNamed.size > 0 || this.state.newestValues.size > 0;
  }

  qa(item: KnowledgeItem): number {
    let match = this.qaMatches.get(item.id);
    if (match === undefined)
      this.qaMatches.set(item.id, (match = questionMatch(this.index.questionGrams(item), this.utterance)));
    return match;
  }

  /** Whether the item is reached through the newest turn itself, not only through older turns. */
  anchored(item: KnowledgeItem, newest: number): boolean {
    if (item.kind === 'qa')
      return newest >= QA_TOPIC || this.index.questionEntities(item).some((e) => this.state.newestNamed.has(e));
    const head = item.head ?? '';
    return this.state.newestNamed.has(head) || this.state.newestValues.has(item) || this.valueHeads.has(head);
  }

  score(item: KnowledgeItem): number {
    if (item.kind === 'qa') return this.qa(item);
    const head = item.head ?? '';
    const cues = this.state.newestCues;
    const valueNamed = this.state.newestValues.has(item);
    let entity = 0;
    if (valueNamed || this.state.newestNamed.has(head)) entity = 1;
    else if (this.valueHeads.has(head)) entity = LEVEL.ownEntityOfValue;
    else if (!this.names && this.state.salience.has(head)) {
      // A follow-up continues the entity in focus, or, less surely, one still salient from before.
      const cuedHere = (this.index.byEntity.get(head) ?? []).some((i) => cues.has(this.relationOf(i)));
      const inPlay = this.state.focus.has(head) ? 1 : this.state.salience.get(head)!;
      entity = (refersBack(this.text) || cuedHere ? LEVEL.followUp : LEVEL.weakFollowUp) * inPlay;
    }
    if (entity === 0) return this.passage(item);
    // A fact found by its value answers "what is <value>?" the way a description does.
    const relation = valueNamed ? DESCRIPTION_RELATION : this.relationOf(item);
    const uncued =
      relation !== DESCRIPTION_RELATION
        ? LEVEL.factUncued
        : this.mentionsAsked(item)
          ? LEVEL.descriptionMentionsAsked
          : LEVEL.descriptionUncued;
    // A specific question ("知道是哪年上映的吗？") is not a request for the description, though it
    // holds a general word (知道) that alone would ask for one.
    const cue = relation === DESCRIPTION_RELATION && this.asksOtherRelation(head) ? undefined : cues.get(relation);
    const relationTerm =
      cue !== undefined
        ? LEVEL.cuedBase + (1 - LEVEL.cuedBase) * cue
        : this.asksOtherRelation(head)
          ? LEVEL.otherRelationCued
          : uncued;
    return entity * relationTerm;
  }

  /**
   * A passage — a description whose head has nothing else: a document's section, a note — is
   * asked about by what it says, not by its heading, which nobody names ("How often does the shuttle
   * bus leave?" for a section "Transport"). It scores by the share of the turn's words it holds.
   * Descriptions of entities with facts keep needing their entity named or in focus.
   */
  private passage(item: KnowledgeItem): number {
    if (!this.index.isDescription(item)) return 0;
    const about = this.index.byEntity.get(item.head ?? '') ?? [];
    if (!about.every((other) => this.index.isDescription(other))) return 0;
    const words = this.asked.filter((word) => !/^[\s\p{P}\p{S}]+$/u.test(word));
    if (words.length === 0) return 0;
    const text = (item.text ?? item.tail ?? '').toLowerCase();
    const found = words.filter((word) => text.includes(word.toLowerCase())).length;
    return (LEVEL.passage * found) / words.length;
  }

  /** Whether a description's text holds a word the newest turn asks about ("她拿了几块金牌？" → 金牌). */
  private mentionsAsked(item: KnowledgeItem): boolean {
    const text = item.text ?? item.tail ?? '';
    return this.asked.some((word) => text.includes(word));
  }

  /** Whether the newest turn asks for a specific relation of `head` (not its description). */
  private asksOtherRelation(head: string): boolean {
    let asks = this.specificCue.get(head);
    if (asks === undefined) {
      const relations = (this.index.byEntity.get(head) ?? []).map((i) => this.relationOf(i));
      asks = relations.some((r) => r !== DESCRIPTION_RELATION && this.state.newestCues.has(r));
      this.specificCue.set(head, asks);
    }
    return asks;
  }

  private relationOf(item: KnowledgeItem): string {
    return this.index.isDescription(item) ? DESCRIPTION_RELATION : (item.relation ?? '');
  }
}
