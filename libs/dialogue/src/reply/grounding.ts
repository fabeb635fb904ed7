import type { RankedKnowledge } from '@zhibing/knowledge';
import { answerCoverage } from './answer-coverage';

/**
 * Which case a reply is: grounded in knowledge that answers the newest utterance, the persona
 * saying it does not know (or asking back), or a greeting returned.
 */
export type GroundingCase = 'knowledge' | 'fallback' | 'greeting';

export interface Grounding {
  case: GroundingCase;
  /** The knowledge the reply is grounded in (empty for a fallback or a greeting). */
  items: RankedKnowledge[];
  /**
   * How well the chosen item answers the newest utterance alone: selection's `newest` part,
   * discounted when the item says nothing about what the utterance asks (answer coverage).
   */
  score: number;
  threshold: number;
  /** The earlier user turn that asked the same thing, when the user asks it again. */
  repeatOf?: string;
}

/**
 * Below this, the best knowledge does not answer the newest utterance and the persona says so.
 * Calibrated with `npm run -s cli -- eval calibrate` on KdConv dev (travel and film: 2,734 questions,
 * each scored with the knowledge it used and with that knowledge left out): balanced accuracy peaks
 * flat at 68.5 / 68.3% for 0.20 / 0.25 (66.6% at 0.30). Of the two we take the higher, since a wrong
 * answer costs a person more than an honest "I don't know". The multi-turn persona set
 * (eval/conversations) is for evaluation, not for fitting this number.
 */
export const ANSWER_THRESHOLD = 0.25;

const GREETING =
  /^(你好|您好|嗨|哈喽|哈啰|早上好|中午好|下午好|晚上好|早安|在吗|hello|hi|hey)[\s\p{P}\p{S}呀啊哦呢吖]*$/iu;

/** Whether an utterance is only a greeting ("你好！", "hi"). */
export function isGreeting(text: string): boolean {
  return GREETING.test(text.trim());
}

/** How far down the ranking an item that answers the newest utterance may be taken from. */
const CANDIDATES = 5;

/**
 * Each content character of the utterance that an item says nothing of makes it less likely to be
 * the answer: the score is divided by 1 + UNCOVERED_COST · uncovered ("葬花吟写的是什么？" loses a
 * third for 写; "林黛玉会骑自行车吗？" two thirds for 骑自行车).
 */
const UNCOVERED_COST = 0.5;

/**
 * A QA pair whose question and answer hold nearly everything the utterance asks about answers
 * it even when the wording differs ("停车免费吗？" → "有停车场吗？ … 停车前两小时免费"): it then counts
 * this much times its coverage. One content character ("住") is too little to say so.
 */
const QA_BY_CONTENT = 0.6;
const QA_CONTENT_COVERED = 0.75;
const QA_CONTENT_CHARS = 2;

/** How well one ranked item answers `utterance`: its `newest` part, discounted by what it leaves out. */
export function answerScore(ranked: RankedKnowledge, utterance: string, names: string[] = []): number {
  const coverage = answerCoverage(utterance, ranked.item, names);
  const score = (ranked.parts.newest ?? 0) / (1 + UNCOVERED_COST * coverage.uncovered);
  if (ranked.item.kind !== 'qa' || coverage.share < QA_CONTENT_COVERED || coverage.size < QA_CONTENT_CHARS)
    return score;
  return Math.max(score, QA_BY_CONTENT * coverage.share);
}

/**
 * Decides what the reply rests on: of the first few selected items, the one that best answers
 * the newest utterance, when it does so well enough (score ≥ threshold); otherwise a fallback
 * (or the greeting, for a greeting). Knowledge that only history reaches never answers a new question.
 */
export function decideGrounding(
  ranked: RankedKnowledge[],
  utterance: string,
  options: { threshold?: number; repeatOf?: string; names?: string[] } = {},
): Grounding {
  const threshold = options.threshold ?? ANSWER_THRESHOLD;
  // The item that answers the utterance best; on a tie, the higher ranked.
  let answering: RankedKnowledge | undefined;
  let score = 0;
  for (const candidate of ranked.slice(0, CANDIDATES)) {
    const candidateScore = answerScore(candidate, utterance, options.names);
    if (candidateScore > score) [answering, score] = [candidate, candidateScore];
  }
  const base = {
    score: Number(score.toFixed(4)),
    threshold,
    ...(options.repeatOf ? { repeatOf: options.repeatOf } : {}),
  };
  if (answering && score >= threshold) return { case: 'knowledge', items: [answering], ...base };
  return { case: isGreeting(utterance) ? 'greeting' : 'fallback', items: [], ...base };
}
