import type { InterviewReport, InterviewReportQuestion } from '@zhibing/protocol';

/** Seconds as m:ss (or h:mm:ss past an hour), the way a recruiter reads an answer's length. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A score's share of its maximum, 0–1 (a bar's width); 0 when the maximum is 0. */
export function scoreShare(score: number, max: number): number {
  return max > 0 ? Math.min(1, Math.max(0, score / max)) : 0;
}

/** A score as "3 / 5" with at most one decimal (summaries are means). */
export function formatScore(score: number, max: number): string {
  const one = (n: number) => String(Math.round(n * 10) / 10);
  return `${one(score)} / ${one(max)}`;
}

/** How long the whole interview ran, when it ended (seconds). */
export function interviewSeconds(report: Pick<InterviewReport, 'startedAt' | 'endedAt'>): number | undefined {
  if (!report.endedAt) return undefined;
  return (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000;
}

/** The file an export is saved as: persona, role and the conversation's first characters. */
export function reportFileName(report: Pick<InterviewReport, 'personaId' | 'role' | 'conversationId'>, ext: string) {
  return `interview-${report.role}-${report.conversationId.slice(0, 8)}.${ext}`;
}

/** The seconds a question took: given by the report, or from its times when only those are there. */
export function questionSeconds(question: InterviewReportQuestion): number | undefined {
  if (question.seconds !== undefined) return question.seconds;
  if (!question.answeredAt) return undefined;
  return (Date.parse(question.answeredAt) - Date.parse(question.askedAt)) / 1000;
}
