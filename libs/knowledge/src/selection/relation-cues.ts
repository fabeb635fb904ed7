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

/**
 * Words that signal which relation a question asks about, all derived from the knowledge base
 * itself: each relation's name and the words of its name, and the question words for the shape
 * of its values (dates → 哪年/什么时候, amounts → 多少钱, persons → 谁, places → 在哪 …).
 */
export class RelationCues {
  private readonly cues: { relation: string; word: string; strength: number; closing?: RegExp }[] = [];
  /** Entities of the base that are persons: they were born, or a person-valued relation names them. */
  readonly persons = new Set<string>();
  /** Relation → the shape most of its values have. */
  readonly shapes = new Map<string, ValueShape>();

  constructor(items: KnowledgeItem[], tokenizer: TextTokenizer) {
    const values = new Map<string, string[]>();
    const persons = this.persons;
    const heads = new Set(items.flatMap((item) => (item.head ? [item.head] : [])));
    for (const item of items) {
      if (item.kind !== 'fact' || !item.relation || item.relation === DESCRIPTION_RELATION) continue;
      if (!values.has(item.relation)) values.set(item.relation, []);
      values.get(item.relation)!.push(item.tail ?? '');
      if (item.head && BIRTH_RELATION.test(item.relation)) persons.add(item.head);
    }
    const personIn = (agent: boolean) => (value: string) => {
      const names = splitNames(value);
      return (
        names.length > 0 &&
        names.every((name) => persons.has(name) || TRANSLITERATED.test(name) || (agent && HAN_NAME.test(name)))
      );
    };
    const parts = new Map<string, Set<string>>();
    for (const relation of values.keys()) {
      for (const part of tokenizer.searchParts(relation)) {
        if (part.length < 2 || part === relation) continue;
        if (!parts.has(part)) parts.set(part, new Set());
        parts.get(part)!.add(relation);
      }
    }
    for (const [relation, list] of values) {
      // A one-character relation name ("毛") is a character of countless words, not a cue.
      if (relation.length >= 2) this.cues.push({ relation, word: relation, strength: STRENGTH.name });
      const counts = new Map<ValueShape, number>();
      const isPerson = personIn(AGENT_RELATION.test(relation));
      for (const value of list) {
        const shape = valueShape(value, { isPerson, isEntity: (v) => heads.has(v) });
        if (shape) counts.set(shape, (counts.get(shape) ?? 0) + 1);
      }
      const [shape, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
      const named = shapeByName(relation);
      const chosen = shape && count! >= SHAPE_MAJORITY * list.length ? shape : named;
      if (chosen) {
        this.shapes.set(relation, chosen);
        for (const word of SHAPE_CUES[chosen]) this.cues.push({ relation, word, strength: STRENGTH.shape });
      }
    }
    // The entities a person-valued relation names are persons too (a film's cast).
    for (const [relation, list] of values) {
      if (this.shapes.get(relation) !== 'person') continue;
      for (const value of list) for (const name of splitNames(value)) if (heads.has(name)) persons.add(name);
    }
    for (const [part, relations] of parts) {
      for (const relation of relations)
        this.cues.push({ relation, word: part, strength: STRENGTH.part / relations.size });
    }
    for (const relation of values.keys()) {
      // "哪个系", "什么星座": a question word before the noun that ends the relation's name.
      const chars = Array.from(relation);
      for (const noun of new Set([chars.slice(-1).join(''), chars.slice(-2).join('')])) {
        if (/^\p{Script=Han}+$/u.test(noun))
          for (const asking of WHICH) this.cues.push({ relation, word: asking + noun, strength: STRENGTH.shape });
      }
      if (NAME_RELATION.test(relation))
        for (const word of NAMING_CUES) this.cues.push({ relation, word, strength: STRENGTH.naming });
    }
    for (const word of DESCRIPTION_CUES)
      this.cues.push({ relation: DESCRIPTION_RELATION, word, strength: STRENGTH.description });
    for (const word of CLOSING_DESCRIPTION_CUES) {
      const closing = new RegExp(word + CLAUSE_END, 'u');
      this.cues.push({ relation: DESCRIPTION_RELATION, word, strength: STRENGTH.description, closing });
    }
  }

  /**
   * Relations cued in `text`, each with the noisy-or of its cues' strengths. A cue word inside a
   * longer cue word that also matched counts only through the longer one: "多长" in "多长时间" is
   * one cue, and "谁" in "贾宝玉是谁" asks who he is (a description), not for a person-valued fact.
   */
  detect(text: string): Map<string, number> {
    const lower = text.toLowerCase();
    const matched = this.cues.filter((cue) =>
      cue.closing ? cue.closing.test(lower) : lower.includes(cue.word.toLowerCase()),
    );
    const words = new Set(matched.map((cue) => cue.word));
    const found = new Map<string, number>();
    for (const cue of matched) {
      if ([...words].some((word) => word.length > cue.word.length && word.includes(cue.word))) continue;
      found.set(cue.relation, 1 - (1 - (found.get(cue.relation) ?? 0)) * (1 - cue.strength));
    }
    return found;
  }
}
