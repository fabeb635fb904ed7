/**
 * Characters that carry grammar, not topic: particles, pronouns, copulas and question words. Two
 * questions that share only these ("…在哪", "…是什么") ask about different things, so a bigram
 * touching one of them weighs a quarter of a content bigram. This is knowledge of Chinese, not of
 * any domain.
 */
const FUNCTION_CHARS = new Set(
  Array.from(
    '的了吗呢吧啊呀嘛哦是在有和与也都就还又很这那我你他她它们个么什怎哪谁几多少请问想要会能可以得着过把被给对从吗么儿',
  ),
);
const FUNCTION_WEIGHT = 0.25;

const normalize = (text: string) => Array.from(text.replace(/[\s\p{P}\p{S}]+/gu, '').toLowerCase());

/** Character bigrams of a text with their weights (content 1, touching a function character 0.25). */
export function weightedBigrams(text: string): Map<string, number> {
  const chars = normalize(text);
  const grams = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const weight = FUNCTION_CHARS.has(chars[i]) || FUNCTION_CHARS.has(chars[i + 1]) ? FUNCTION_WEIGHT : 1;
    grams.set(chars[i] + chars[i + 1], weight);
  }
  return grams;
}

/**
 * How closely an utterance asks a stored question, in [0, 1]: the geometric mean of the weighted
 * bigram Dice coefficient and the share of the utterance's (weighted) bigrams found in the
 * question. Dice alone punishes a short utterance against a long question ("我想学滑雪" vs
 * "初学者怎么开始学滑雪？"); coverage alone rewards an utterance of function words that happens
 * to sit inside a question ("你是谁" in "华智冰是谁？"). Their mean needs both.
 */
export function questionMatch(question: Map<string, number>, utterance: Map<string, number>): number {
  let questionWeight = 0;
  let utteranceWeight = 0;
  let shared = 0;
  for (const weight of question.values()) questionWeight += weight;
  for (const [gram, weight] of utterance) {
    utteranceWeight += weight;
    if (question.has(gram)) shared += weight;
  }
  if (questionWeight === 0 || utteranceWeight === 0 || shared === 0) return 0;
  const dice = (2 * shared) / (questionWeight + utteranceWeight);
  return Math.sqrt(dice * (shared / utteranceWeight));
}

/** Words that point back at something already in the conversation (它几点开门？). */
const ANAPHORS = /[它他她这那其该此]|还有|另外|别的|其他|其它/;

/** Whether an utterance refers back (a pronoun, "还有…") rather than starting something new. */
export function refersBack(text: string): boolean {
  return ANAPHORS.test(text);
}

/** Whether an utterance is a question (question mark or a question particle/word). */
export function isQuestion(text: string): boolean {
  return /[?？]|吗|呢|什么|谁|哪|几|多少|怎么|如何|为什么|是否/.test(text);
}
