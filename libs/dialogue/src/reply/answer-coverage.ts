import { type KnowledgeItem, TextTokenizer } from '@zhibing/knowledge';

/**
 * Words that carry no topic: question words, particles, pronouns, light verbs. What is left of
 * an utterance without them and without the names in it is what the user asks about.
 */
const FUNCTION_WORDS = new Set([
  '为什么',
  '怎么样',
  '什么',
  '怎么',
  '怎样',
  '哪里',
  '哪儿',
  '哪个',
  '哪些',
  '多少',
  '多久',
  '多长',
  '多大',
  '时候',
  '请问',
  '知道',
  '告诉',
  '一下',
  '多少钱',
  '钱',
  '可以',
  '能不能',
  '是不是',
  '有没有',
  '喜欢',
  '是从',
  '一共',
  '还有',
  '那么',
  '这里',
  '那里',
  '地方',
  '样子',
  '东西',
  '样',
  '什么样',
  '一些',
  '一点',
  '需要',
  '应该',
  '一般',
  '你好',
  '您好',
  '你们',
  '我们',
  '他们',
  '咱们',
  '大家',
  '哪一年',
  '哪年',
  '谁',
  '哪',
  '几',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '么',
  '哦',
  '嗯',
  '啦',
  '的',
  '了',
  '是',
  '在',
  '有',
  '和',
  '与',
  '跟',
  '就',
  '都',
  '也',
  '还',
  '又',
  '很',
  '太',
  '最',
  '会',
  '能',
  '要',
  '想',
  '请',
  '问',
  '我',
  '你',
  '您',
  '他',
  '她',
  '它',
  '们',
  '这',
  '那',
  '个',
  '些',
  '里',
  '儿',
  '给',
  '对',
  '说',
  '讲',
  '过',
  '着',
  '得',
  '地',
  '把',
  '让',
  '去',
  '呐',
]);

/** The same for English: question words, auxiliaries, articles, pronouns, prepositions. */
const ENGLISH_FUNCTION_WORDS = new Set(
  (
    'a an the how what when where which who whom whose why is are was were be been being am do does did ' +
    'can could will would shall should may might must have has had i me my mine you your yours we us our ' +
    'he him his she her it its they them their this that these those there here of to in on at for from ' +
    'with by about into and or but not no yes please tell know any some much many often long ' +
    "there's what's it's i'm you're"
  ).split(' '),
);

/** A word in Latin script (English and the like): it counts as a word, not as its letters. */
const LATIN_WORD = /^[\p{Script=Latin}\d'’-]+$/u;
/**
 * What a Latin-script word weighs against CJK characters (a Chinese word of two characters is about
 * one English word): the threshold was calibrated on Chinese, where each content character counts.
 */
const LATIN_WORD_WEIGHT = 2;

/** The words of an utterance that say what it asks about: names and function words removed. */
export function contentWords(utterance: string, names: string[]): string[] {
  const tokenizer = new TextTokenizer(names);
  const known = new Set(names.map((n) => n.toLowerCase()));
  return tokenizer
    .tokens(utterance.toLowerCase())
    .filter(
      (w) => !FUNCTION_WORDS.has(w) && !ENGLISH_FUNCTION_WORDS.has(w) && !known.has(w) && !/^[\s\p{P}\p{S}]+$/u.test(w),
    );
}

/**
 * The part of an utterance that asks: its last question (else its last sentence), and of that the last clause
 * ("大概可以玩2小时，知道法源寺什么时候开放吗？" asks "知道法源寺什么时候开放吗"). What comes before
 * is context the turn states, not what the answer must speak of.
 */
export function askedPart(utterance: string): string {
  const sentences = utterance
    .split(/(?<=[。！？!?])/)
    .map((s) => s.trim())
    .filter((s) => s.replace(SEPARATORS, '').length > 0);
  const questions = sentences.filter((s) => /[？?]$/.test(s));
  const last = questions[questions.length - 1] ?? sentences[sentences.length - 1] ?? utterance;
  const clauses = last
    .split(/[，,；;]/)
    .map((c) => c.trim())
    .filter((c) => c.replace(SEPARATORS, '').length > 0);
  return clauses[clauses.length - 1] ?? last;
}

const SEPARATORS = /[\s\p{P}\p{S}]+/gu;

function itemText(item: KnowledgeItem): string {
  return [item.question, item.answer, item.head, item.relation, item.tail, item.text]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

export interface Coverage {
  /** Share of the utterance's content characters the item speaks of, in [0, 1]. */
  share: number;
  /** How many content characters the item says nothing of. */
  uncovered: number;
  /** How many content characters the utterance has. */
  size: number;
}

/**
 * How much of what the utterance asks about the item speaks of: its content words found in the
 * item (a word not found counts by half the share of its characters that are). "林黛玉会骑自行车吗"
 * names 林黛玉, but nothing about her says 骑自行车: her description does not answer it. An utterance
 * with no content word left ("她是谁？") is fully covered.
 */
export function answerCoverage(utterance: string, item: KnowledgeItem, names: string[]): Coverage {
  const words = contentWords(askedPart(utterance), [...names, item.head ?? ''].filter(Boolean));
  const text = itemText(item);
  let size = 0;
  let covered = 0;
  for (const word of words) {
    if (LATIN_WORD.test(word)) {
      // Found as a word or a word's stem ("leave" in "leaves"); letters found apart mean nothing.
      size += LATIN_WORD_WEIGHT;
      if (text.includes(word) || (word.length > 4 && text.includes(word.replace(/(es|s|ed|ing)$/, '')))) {
        covered += LATIN_WORD_WEIGHT;
      }
      continue;
    }
    const chars = Array.from(word);
    size += chars.length;
    covered += text.includes(word) ? chars.length : chars.filter((c) => text.includes(c)).length / 2;
  }
  return { share: size === 0 ? 1 : covered / size, uncovered: size - covered, size };
}
