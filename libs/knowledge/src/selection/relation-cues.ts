import { DESCRIPTION_RELATION, type KnowledgeItem } from '../knowledge.types';
import { NAME_RELATION, splitNames } from './entity-aliases';
import type { TextTokenizer } from './text-tokenizer';
import { SHAPE_CUES, type ValueShape, valueShape } from './value-shapes';

/**
 * How one asks for a description (who or what something is) rather than one fact: knowledge of
 * Chinese, not of a domain.
 */
const DESCRIPTION_CUES = ['介绍', '了解', '什么样', '怎么样', '讲什么', '讲的是', '讲述', '简介', '知道', '听说'];
/**
 * "X是谁？", "X是什么？" ask what X is only when the question ends there: "红楼梦是谁写的？" asks for a
 * person-valued fact, "是什么时候" for a date.
 */
const CLOSING_DESCRIPTION_CUES = ['是谁', '是什么'];
const CLAUSE_END = '(?=[呀啊呢吗嘛哦啦]*(?:[\\s\\p{P}]|$))';

/** A relation whose facts' heads are born is about a person (出生日期, 出生地, 出生年月 …). */
const BIRTH_RELATION = /出生|生日/;
/**
 * A relation named by an agent or kinship noun (作者, 创始人, 歌手, 父亲, 妻子 …) whose values look like
 * names holds persons, even when the base knows nothing else about them: Chinese morphology.
 */
const AGENT_RELATION = /(者|人|家|手|员|师|长|父|母|亲|妻|夫|儿|女|兄|弟|姐|妹|友|演)$/;
const TRANSLITERATED = /^[\p{Script=Han}]{1,6}·[\p{Script=Han}·]{1,12}$/u;
const HAN_NAME = /^[\p{Script=Han}]{2,4}$/u;

/**
 * Cue strengths. A relation's own name is the surest cue; a part of it that no other relation
 * shares ("上映" of 上映时间) nearly so; a question word for the shape of its values narrows to a
 * class of relations (all dates), so it counts less; a part shared by two relations less again.
 */
const STRENGTH = { name: 1, part: 0.8, shape: 0.7, description: 0.7, naming: 0.7 };
/** Question words that ask "which" or "what kind of" the noun after them. */
const WHICH = ['哪个', '哪一个', '哪所', '哪家', '哪', '什么'];
/** How one asks what something is called: cues for name relations (中文名, 别名, 其它译名 …). */
const NAMING_CUES = ['名字', '叫什么', '外号', '称号', '又叫', '别称', '叫法'];
/** A relation's values have a shape when at least this share of them do. */
const SHAPE_MAJORITY = 0.5;

/**
 * The shape a relation's name promises when its values do not show one ("北京、延庆和张家口" of
 * 举办地点): nouns of place and of time, knowledge of Chinese.
 */
function shapeByName(relation: string): ValueShape | undefined {
  if (/(地点|地址|位置|住所|场所|所在地|地)$/.test(relation)) return 'place';
  if (/(时间|日期|年份|日子)$/.test(relation)) return 'date';
  return undefined;
}

interface Cue {
  relation: string;
  word: string;
  strength: number;
  closing?: RegExp;
  /** A word of the relation's name: its strength is shared by the relations whose names hold it. */
  part?: boolean;
}

/** One distinct value of a relation, with how many facts give it and the shape it has now. */
interface ValueEntry {
  relation: string;
  value: string;
  count: number;
  shape: ValueShape | undefined;
}

interface RelationState {
  values: Map<string, ValueEntry>;
  /** Facts of the relation (values counted with repeats, as a majority is of facts). */
  total: number;
  shapeCounts: Map<ValueShape, number>;
  /** Whether the relation is named by an agent or kinship noun (作者, 父亲 …). */
  agent: boolean;
  chosen: ValueShape | undefined;
  /** Whether its values' names currently count towards `persons`. */
  countsPersons: boolean;
  cues: Cue[];
}

/** The order shapes are checked in (valueShape): it breaks a tie between two majorities. */
const SHAPE_ORDER: ValueShape[] = ['phone', 'clock', 'duration', 'money', 'date', 'number', 'person', 'place'];

const STATIC_CUES: Cue[] = [
  ...DESCRIPTION_CUES.map((word) => ({ relation: DESCRIPTION_RELATION, word, strength: STRENGTH.description })),
  ...CLOSING_DESCRIPTION_CUES.map((word) => ({
    relation: DESCRIPTION_RELATION,
    word,
    strength: STRENGTH.description,
    closing: new RegExp(word + CLAUSE_END, 'u'),
  })),
];

/**
 * Words that signal which relation a question asks about, all derived from the knowledge base
 * itself: each relation's name and the words of its name, and the question words for the shape
 * of its values (dates → 哪年/什么时候, amounts → 多少钱, persons → 谁, places → 在哪 …).
 * Kept up to date fact by fact: a change re-derives only the relations and values it touches.
 */
export class RelationCues {
  private readonly relations = new Map<string, RelationState>();
  /** Head → how many items have it: a value that is an entity of the base is never a place. */
  private readonly heads = new Map<string, number>();
  /** Head → how many facts of a birth relation it has (出生日期 …): those entities are persons. */
  private readonly born = new Map<string, number>();
  /** Name → how many values of person-valued relations name it. */
  private readonly personNames = new Map<string, number>();
  /** A value or a name inside one → the value entries whose shape depends on it. */
  private readonly dependents = new Map<string, Set<ValueEntry>>();
  /** A word of relation names → the relations whose names hold it. */
  private readonly parts = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();
  /** Relation → the shape most of its values have. */
  readonly shapes = new Map<string, ValueShape>();
  /** Entities of the base that are persons: they were born, or a person-valued relation names them. */
  readonly persons: { has(entity: string): boolean } = {
    has: (entity) => this.born.has(entity) || (this.heads.has(entity) && this.personNames.has(entity)),
  };

  constructor(
    items: KnowledgeItem[],
    private readonly tokenizer: TextTokenizer,
  ) {
    for (const item of items) this.add(item);
    this.refresh();
  }

  /** Counts an item in (delta 1) or out (−1); `refresh()` then brings the cues up to date. */
  add(item: KnowledgeItem, delta: 1 | -1 = 1): void {
    if (item.head) {
      const [before, after] = count(this.heads, item.head, delta);
      if (before === 0 || after === 0) this.contextChanged(item.head);
    }
    if (item.kind !== 'fact' || !item.relation || item.relation === DESCRIPTION_RELATION) return;
    if (item.head && BIRTH_RELATION.test(item.relation)) {
      const [before, after] = count(this.born, item.head, delta);
      if (before === 0 || after === 0) this.contextChanged(item.head);
    }
    const state = this.relation(item.relation);
    const value = item.tail ?? '';
    let entry = state.values.get(value);
    if (!entry) {
      entry = { relation: item.relation, value, count: 0, shape: this.shapeOf(value, state) };
      state.values.set(value, entry);
      for (const key of dependencyKeys(value)) {
        if (!this.dependents.has(key)) this.dependents.set(key, new Set());
        this.dependents.get(key)!.add(entry);
      }
      if (state.countsPersons) this.countPersonNames(entry, 1);
    }
    entry.count += delta;
    state.total += delta;
    if (entry.shape) count(state.shapeCounts, entry.shape, delta);
    if (entry.count === 0) {
      state.values.delete(value);
      for (const key of dependencyKeys(value)) {
        const set = this.dependents.get(key)!;
        set.delete(entry);
        if (set.size === 0) this.dependents.delete(key);
      }
      if (state.countsPersons) this.countPersonNames(entry, -1);
    }
    this.dirty.add(item.relation);
  }

  /** Re-derives the shape, persons and cue words of every relation a change touched. */
  refresh(): void {
    for (const relation of this.dirty) {
      const state = this.relations.get(relation)!;
      if (state.total === 0) {
        if (state.countsPersons) for (const entry of state.values.values()) this.countPersonNames(entry, -1);
        this.setParts(relation, false);
        this.relations.delete(relation);
        this.shapes.delete(relation);
        continue;
      }
      const chosen = this.choose(relation, state);
      if (chosen) this.shapes.set(relation, chosen);
      else this.shapes.delete(relation);
      // The entities a person-valued relation names are persons too (a film's cast).
      const countsPersons = chosen === 'person';
      if (countsPersons !== state.countsPersons) {
        for (const entry of state.values.values()) this.countPersonNames(entry, countsPersons ? 1 : -1);
        state.countsPersons = countsPersons;
      }
      if (chosen !== state.chosen || state.cues.length === 0) {
        state.chosen = chosen;
        state.cues = this.cuesOf(relation, chosen);
      }
    }
    this.dirty.clear();
  }

  /**
   * Relations cued in `text`, each with the noisy-or of its cues' strengths. A cue word inside a
   * longer cue word that also matched counts only through the longer one: "多长" in "多长时间" is
   * one cue, and "谁" in "贾宝玉是谁" asks who he is (a description), not for a person-valued fact.
   */
  detect(text: string): Map<string, number> {
    const lower = text.toLowerCase();
    const matched: Cue[] = [];
    const test = (cue: Cue) => {
      if (cue.closing ? cue.closing.test(lower) : lower.includes(cue.word.toLowerCase())) matched.push(cue);
    };
    for (const state of this.relations.values()) for (const cue of state.cues) test(cue);
    for (const cue of STATIC_CUES) test(cue);
    const words = [...new Set(matched.map((cue) => cue.word))];
    const strengths = new Map<string, number[]>();
    for (const cue of matched) {
      if (words.some((word) => word.length > cue.word.length && word.includes(cue.word))) continue;
      const strength = cue.part ? STRENGTH.part / this.parts.get(cue.word)!.size : cue.strength;
      if (!strengths.has(cue.relation)) strengths.set(cue.relation, []);
      strengths.get(cue.relation)!.push(strength);
    }
    // Strongest first, whatever order the cues were stored in: the same sum in every index.
    const found = new Map<string, number>();
    for (const [relation, list] of strengths) {
      list.sort((a, b) => b - a);
      found.set(
        relation,
        list.reduce((sum, strength) => 1 - (1 - sum) * (1 - strength), 0),
      );
    }
    return found;
  }

  private relation(name: string): RelationState {
    let state = this.relations.get(name);
    if (!state) {
      state = {
        values: new Map(),
        total: 0,
        shapeCounts: new Map(),
        agent: AGENT_RELATION.test(name),
        chosen: undefined,
        countsPersons: false,
        cues: [],
      };
      this.relations.set(name, state);
      this.setParts(name, true);
    }
    return state;
  }

  private choose(relation: string, state: RelationState): ValueShape | undefined {
    let best: ValueShape | undefined;
    for (const shape of SHAPE_ORDER) {
      const n = state.shapeCounts.get(shape) ?? 0;
      if (n > 0 && (best === undefined || n > state.shapeCounts.get(best)!)) best = shape;
    }
    return best && state.shapeCounts.get(best)! >= SHAPE_MAJORITY * state.total ? best : shapeByName(relation);
  }

  private shapeOf(value: string, state: RelationState): ValueShape | undefined {
    const isPerson = (text: string) => {
      const names = splitNames(text);
      return (
        names.length > 0 &&
        names.every((name) => this.born.has(name) || TRANSLITERATED.test(name) || (state.agent && HAN_NAME.test(name)))
      );
    };
    return valueShape(value, { isPerson, isEntity: (v) => this.heads.has(v) });
  }

  /** Whether `key` became or stopped being a head (or a born one): shapes that depend on it change. */
  private contextChanged(key: string): void {
    for (const entry of this.dependents.get(key) ?? []) {
      const state = this.relations.get(entry.relation)!;
      const shape = this.shapeOf(entry.value, state);
      if (shape === entry.shape) continue;
      if (entry.shape) count(state.shapeCounts, entry.shape, -entry.count);
      if (shape) count(state.shapeCounts, shape, entry.count);
      entry.shape = shape;
      this.dirty.add(entry.relation);
    }
  }

  private countPersonNames(entry: ValueEntry, delta: 1 | -1): void {
    for (const name of new Set(splitNames(entry.value))) count(this.personNames, name, delta);
  }

  private setParts(relation: string, present: boolean): void {
    for (const part of new Set(this.tokenizer.searchParts(relation))) {
      if (part.length < 2 || part === relation) continue;
      let relations = this.parts.get(part);
      if (!relations) this.parts.set(part, (relations = new Set()));
      if (present) relations.add(relation);
      else relations.delete(relation);
      if (relations.size === 0) this.parts.delete(part);
    }
  }

  private cuesOf(relation: string, shape: ValueShape | undefined): Cue[] {
    const cues: Cue[] = [];
    // A one-character relation name ("毛") is a character of countless words, not a cue.
    if (relation.length >= 2) cues.push({ relation, word: relation, strength: STRENGTH.name });
    if (shape) for (const word of SHAPE_CUES[shape]) cues.push({ relation, word, strength: STRENGTH.shape });
    for (const part of new Set(this.tokenizer.searchParts(relation))) {
      if (part.length >= 2 && part !== relation)
        cues.push({ relation, word: part, strength: STRENGTH.part, part: true });
    }
    // "哪个系", "什么星座": a question word before the noun that ends the relation's name.
    const chars = Array.from(relation);
    for (const noun of new Set([chars.slice(-1).join(''), chars.slice(-2).join('')])) {
      if (/^\p{Script=Han}+$/u.test(noun))
        for (const asking of WHICH) cues.push({ relation, word: asking + noun, strength: STRENGTH.shape });
    }
    if (NAME_RELATION.test(relation))
      for (const word of NAMING_CUES) cues.push({ relation, word, strength: STRENGTH.naming });
    return cues;
  }
}

/** What a value's shape depends on besides its text: itself (an entity?) and the names in it (persons?). */
function dependencyKeys(value: string): Set<string> {
  return new Set([value.trim(), ...splitNames(value)]);
}

/** Adds `delta` to a counter (deleting it at zero); returns [before, after]. */
function count<K>(map: Map<K, number>, key: K, delta: number): [number, number] {
  const before = map.get(key) ?? 0;
  const after = before + delta;
  if (after === 0) map.delete(key);
  else map.set(key, after);
  return [before, after];
}
