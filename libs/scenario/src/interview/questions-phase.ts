import type { BankQuestion, PhaseSpec } from '@zhibing/protocol';
import type { PhaseData, PhaseHandler, PhaseResult, ScenarioContext } from '../contract';
import { isCandidateQuestion } from './candidate-question';
import type { AskedQuestion, InterviewUtterance, QuestionsPhaseData } from './interview-data';
import { questionsData } from './interview-data';
import { interviewTexts } from './interview-texts';
import { contentLength, mentions } from './text-match';

/** An answer shorter than this (letters and digits) earns the generic follow-up (the one with no `when`). */
export const SHORT_ANSWER = 25;
/** Follow-ups per question when the phase does not say. */
const DEFAULT_FOLLOW_UPS = 1;

/**
 * The interview's questions phase: asks `count` questions of the bank for `role` in bank order,
 * each followed by at most `followUps` follow-ups chosen from the answer (a follow-up whose `when`
 * words the answer mentions, else the generic one when the answer is short). A question the
 * candidate asks about the company meanwhile is answered from knowledge, then the open question is
 * asked again. Every question, answer and time is kept in the phase data for the report.
 */
export const questionsPhase: PhaseHandler = {
  kind: 'questions',

  async enter(phase: PhaseSpec, context: ScenarioContext): Promise<PhaseResult> {
    const role = phase.role ?? '';
    const bank = await context.questionBank(role);
    const planned = (bank?.questions ?? []).slice(0, phase.count ?? bank?.questions.length);
    const data: QuestionsPhaseData = {
      role,
      bankTitle: bank?.title,
      planned,
      asked: [],
      candidateQuestions: [],
      finished: planned.length === 0,
      ...(bank ? {} : { missingBank: true }),
    };
    // Nothing to ask (no bank for the role): the phase is done at once; the report says why.
    if (planned.length === 0) return { data: toPhaseData(data), directive: say(phase.say), done: true };
    const first = ask(planned[0], context.now);
    data.asked.push(first);
    return { data: toPhaseData(data), directive: say(phase.say, first.text) };
  },

  async message(phase: PhaseSpec, stored: PhaseData, text: string, context: ScenarioContext): Promise<PhaseResult> {
    const texts = interviewTexts(context.locale);
    const previous = questionsData(stored);
    // A message after the last question (a race with the phase change): answered like any message.
    if (!previous || previous.finished) return { data: stored, directive: { answer: true, say: [] } };
    const data: QuestionsPhaseData = structuredClone(previous);
    const current = data.asked[data.asked.length - 1];
    const open = current.followUps[current.followUps.length - 1] ?? current;
    const utterance: InterviewUtterance = { text, at: context.now.toISOString(), turnId: context.turnId };

    if (isCandidateQuestion(text)) {
      data.candidateQuestions.push(utterance);
      return { data: toPhaseData(data), directive: { answer: true, say: [texts.backTo(open.text)] } };
    }

    open.answers.push(utterance);
    const spec = data.planned[data.asked.length - 1];
    const followUp = chooseFollowUp(spec, current, text, phase.followUps ?? DEFAULT_FOLLOW_UPS);
    if (followUp) {
      current.followUps.push({ text: followUp, askedAt: context.now.toISOString(), answers: [] });
      return { data: toPhaseData(data), directive: say(followUp) };
    }
    const next = data.planned[data.asked.length];
    if (next) {
      data.asked.push(ask(next, context.now));
      return { data: toPhaseData(data), directive: say(texts.nextQuestion(next.text)) };
    }
    data.finished = true;
    return { data: toPhaseData(data), directive: say(texts.finished), done: true };
  },
};

/**
 * The follow-up to ask after `answer`, if any: none once `limit` were asked for this question; else
 * the first not yet asked whose `when` words the answer mentions, else (for a short answer) the
 * first generic one.
 */
export function chooseFollowUp(
  spec: BankQuestion,
  asked: AskedQuestion,
  answer: string,
  limit: number,
): string | undefined {
  if (asked.followUps.length >= limit) return undefined;
  const done = new Set(asked.followUps.map((f) => f.text));
  const open = spec.followUps.filter((f) => !done.has(f.text));
  const byWords = open.find((f) => f.when.length > 0 && f.when.some((w) => mentions(answer, w)));
  if (byWords) return byWords.text;
  if (contentLength(answer) < SHORT_ANSWER) return open.find((f) => f.when.length === 0)?.text;
  return undefined;
}

function ask(question: BankQuestion, now: Date): AskedQuestion {
  return { questionId: question.id, text: question.text, askedAt: now.toISOString(), answers: [], followUps: [] };
}

function say(...lines: (string | undefined)[]) {
  return { answer: false, say: lines.filter((l): l is string => !!l) };
}

function toPhaseData(data: QuestionsPhaseData): PhaseData {
  return data as unknown as PhaseData;
}
