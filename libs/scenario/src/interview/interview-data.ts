import type { BankQuestion } from '@zhibing/protocol';

/**
 * What the questions phase keeps in its phase data (stored with the conversation's scenario state).
 * The interview report reads it back, so it is versioned by shape only: add fields, never rename.
 */

/** One candidate message kept by the phase: the text, the turn that carried it, when. */
export interface InterviewUtterance {
  text: string;
  turnId?: string;
  at: string;
}

/** A follow-up asked after a question, with the candidate's answer(s) to it. */
export interface AskedFollowUp {
  text: string;
  askedAt: string;
  answers: InterviewUtterance[];
}

/** A question as asked in this interview (a copy: a later bank edit does not change the record). */
export interface AskedQuestion {
  questionId: string;
  text: string;
  askedAt: string;
  answers: InterviewUtterance[];
  followUps: AskedFollowUp[];
}

/** The questions phase's data. */
export interface QuestionsPhaseData {
  role: string;
  /** The bank's title when the phase started (the report's heading). */
  bankTitle?: string;
  /**
   * The questions picked on entering, in the order they are asked: copies with their criteria and
   * follow-ups, so a later edit of the bank changes neither this interview nor its report.
   */
  planned: BankQuestion[];
  /** Questions asked so far; the last one is the current one until the phase is done. */
  asked: AskedQuestion[];
  /** Questions the candidate asked about the company or the role meanwhile (answered from knowledge). */
  candidateQuestions: InterviewUtterance[];
  /** Set when the workspace and the flow have no bank for `role`: the phase was skipped. */
  missingBank?: boolean;
  finished: boolean;
}

/** Reads phase data back as QuestionsPhaseData (its shape is the phase's own; nothing else writes it). */
export function questionsData(data: Record<string, unknown> | undefined): QuestionsPhaseData | undefined {
  if (!data || !Array.isArray(data.asked) || typeof data.role !== 'string') return undefined;
  return data as unknown as QuestionsPhaseData;
}
