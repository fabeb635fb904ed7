import type { Flow, InterviewReport, InterviewReportQuestion, PhaseSpec, QuestionBank } from '@zhibing/protocol';
import type { ScenarioState } from '../contract';
import { InterviewError } from './interview.errors';
import { type AskedQuestion, type QuestionsPhaseData, questionsData } from './interview-data';
import { type InterviewTexts, interviewTexts } from './interview-texts';
import { SHORT_ANSWER } from './questions-phase';
import { scoreAnswer } from './score-answer';
import { matchIntents } from '../intents';
import { contentLength } from './text-match';

/** A transcript turn as the report needs it. */
export interface ReportTurn {
  id: string;
  role: 'user' | 'persona';
  text: string;
  createdAt: string;
  /** The user turn a persona turn answers (absent for scripted lines and timers). */
  replyTo?: string | null;
}

export interface InterviewReportInput {
  conversationId: string;
  personaId: string;
  locale: string;
  state: ScenarioState;
  turns: ReportTurn[];
  flow: Flow;
  /** The bank as stored now: only for questions asked before phases kept their own copy. */
  bank?: QuestionBank;
}

/** How the questions phase ended, from the scenario path. */
type Outcome = InterviewReport['status'];

/**
 * The recruiter's report of one interview, computed from the stored scenario state and transcript
 * (pure: the same input gives the same report). Throws interview_not_found when the flow has no
 * questions phase or the conversation never reached one and never ended.
 */
export function interviewReport(input: InterviewReportInput): InterviewReport {
  const { state, flow } = input;
  const texts = interviewTexts(input.locale);
  const phase = flow.phases.find((p) => p.kind === 'questions');
  if (!phase) throw new InterviewError('interview_not_found', `Conversation ${input.conversationId} has no interview`);
  const data = questionsData(state.phases[phase.id]);
  const status = outcome(state, phase);
  const bankQuestions = new Map((input.bank?.questions ?? []).map((q) => [q.id, q]));
  const planned = data?.planned ?? [];
  const specOf = (id: string) => planned.find((q) => q.id === id) ?? bankQuestions.get(id);

  const asked = data?.asked ?? [];
  const questions = asked.map((q, i) =>
    reportQuestion(q, specOf(q.questionId), status, texts, candidateQuestionsWhile(data, q, asked[i + 1])),
  );
  const answered = asked.filter((q) => q.answers.length > 0).length;
  const plannedCount = data ? planned.length : (phase.count ?? 0);
  const notes: string[] = [];
  if (data?.missingBank) notes.push(texts.notes.missingBank(data.role));
  if (status === 'ended-early') notes.push(texts.notes.endedEarly(answered, plannedCount));
  if (status === 'timed-out') notes.push(texts.notes.timedOut(answered, plannedCount));

  return {
    conversationId: input.conversationId,
    personaId: input.personaId,
    role: phase.role ?? data?.role ?? '',
    status,
    startedAt: state.path[0]?.at ?? state.enteredAt,
    ...(state.ended ? { endedAt: state.path[state.path.length - 1]?.at ?? state.enteredAt } : {}),
    questions,
    candidateQuestions: candidateQuestions(input, phase),
    summary: summarize(questions),
    notes,
  };
}

function reportQuestion(
  asked: AskedQuestion,
  spec: { criteria: { name: string; points: string[] }[] } | undefined,
  status: Outcome,
  texts: InterviewTexts,
  askedMeanwhile: number,
): InterviewReportQuestion {
  const answerTexts = [...asked.answers, ...asked.followUps.flatMap((f) => f.answers)];
  const answeredAt = answerTexts
    .map((a) => a.at)
    .sort()
    .at(-1);
  const notes: string[] = [];
  if (answerTexts.length === 0)
    notes.push(
      status === 'timed-out'
        ? texts.notes.noAnswerTimedOut
        : status === 'ended-early'
          ? texts.notes.noAnswerEndedEarly
          : texts.notes.noAnswer,
    );
  else if (asked.answers.length > 0 && contentLength(joined(asked.answers)) < SHORT_ANSWER)
    notes.push(texts.notes.shortAnswer);
  if (asked.followUps.length > 0) notes.push(texts.notes.followUps(asked.followUps.length));
  if (askedMeanwhile > 0) notes.push(texts.notes.askedMeanwhile(askedMeanwhile));
  return {
    questionId: asked.questionId,
    text: asked.text,
    followUps: asked.followUps.map((f) => ({ text: f.text, answer: joined(f.answers) })),
    answer: joined(asked.answers),
    answerTurnIds: answerTexts.map((a) => a.turnId).filter((id): id is string => !!id),
    askedAt: asked.askedAt,
    ...(answeredAt
      ? { answeredAt, seconds: Math.round((Date.parse(answeredAt) - Date.parse(asked.askedAt)) / 1000) }
      : {}),
    scores: (spec?.criteria ?? []).map((c) =>
      scoreAnswer(
        c,
        answerTexts.map((a) => a.text),
      ),
    ),
    notes,
  };
}

const joined = (answers: { text: string }[]) => answers.map((a) => a.text).join('\n');

/** How many of the candidate's own questions came while `asked` was the open question. */
function candidateQuestionsWhile(
  data: QuestionsPhaseData | undefined,
  asked: AskedQuestion,
  next: AskedQuestion | undefined,
): number {
  return (data?.candidateQuestions ?? []).filter((c) => c.at >= asked.askedAt && (!next || c.at < next.askedAt)).length;
}

/**
 * completed: the questions phase ran to its end; timed-out: its timer moved on; ended-early: an
 * intent or the end button ended it (or the interview before it); in-progress: not ended yet.
 */
function outcome(state: ScenarioState, phase: PhaseSpec): Outcome {
  const entered = state.path.findIndex((p) => p.phase === phase.id);
  const left = entered >= 0 ? state.path[entered + 1] : undefined;
  if (left?.by === 'done') return 'completed';
  if (left?.by === 'timer') return 'timed-out';
  if (left) return 'ended-early';
  return state.ended ? 'ended-early' : 'in-progress';
}

/**
 * The candidate's questions in the Q&A phase (the first chat phase entered after the questions):
 * user turns from entering it to leaving it, but not words that move the scenario ("再见"), each with
 * the persona's reply (the turns answering it, or those up to the next user turn).
 */
function candidateQuestions(input: InterviewReportInput, questions: PhaseSpec): InterviewReport['candidateQuestions'] {
  const { state, flow, turns } = input;
  const from = state.path.findIndex((p) => p.phase === questions.id);
  const qa = from < 0 ? -1 : state.path.findIndex((p, i) => i > from && kindOf(flow, p.phase) === 'chat');
  if (qa < 0) return [];
  const start = state.path[qa].at;
  const end = state.path[qa + 1]?.at;
  const inWindow = (t: ReportTurn) => t.createdAt >= start && (!end || t.createdAt < end);
  const result: InterviewReport['candidateQuestions'] = [];
  turns.forEach((turn, i) => {
    // Words that move the scenario ("再见", "没有问题了") are no question of the candidate's.
    if (turn.role !== 'user' || !inWindow(turn) || matchIntents(flow, turn.text).length > 0) return;
    const replies = turns.some((t) => t.replyTo === turn.id)
      ? turns.filter((t) => t.role === 'persona' && t.replyTo === turn.id)
      : takeWhile(turns.slice(i + 1), (t) => t.role === 'persona' && inWindow(t));
    result.push({ question: turn.text, answer: replies.map((t) => t.text).join('\n'), at: turn.createdAt });
  });
  return result;
}

const kindOf = (flow: Flow, id: string) => flow.phases.find((p) => p.id === id)?.kind;

function takeWhile<T>(items: T[], keep: (item: T) => boolean): T[] {
  const end = items.findIndex((item) => !keep(item));
  return end < 0 ? items : items.slice(0, end);
}

/** Mean score per criterion over the questions scored on it, one decimal, in order of first appearance. */
function summarize(questions: InterviewReportQuestion[]): InterviewReport['summary'] {
  const byName = new Map<string, { total: number; n: number; max: number }>();
  for (const score of questions.flatMap((q) => q.scores)) {
    const entry = byName.get(score.criterion) ?? { total: 0, n: 0, max: score.max };
    byName.set(score.criterion, { total: entry.total + score.score, n: entry.n + 1, max: entry.max });
  }
  return [...byName].map(([criterion, { total, n, max }]) => ({
    criterion,
    score: Math.round((total / n) * 10) / 10,
    max,
  }));
}
