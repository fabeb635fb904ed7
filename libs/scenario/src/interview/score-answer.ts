import { mentions, sentencesOf } from './text-match';

/** The top of the scale; the bottom is 1 (nothing a good answer mentions was said). */
export const SCORE_MAX = 5;

/**
 * Scores an answer on one criterion by the share of its points the answer covers:
 * 1 + round(4 × covered / points), so none → 1, all → 5. `evidence` quotes the answer's sentences
 * that cover a point (in the answer's order, once each); `missing` lists the points not covered.
 */
export function scoreAnswer(
  criterion: { name: string; points: string[] },
  answers: string[],
): { criterion: string; score: number; max: number; evidence: string[]; missing: string[] } {
  const whole = answers.join('\n');
  const covered = criterion.points.filter((p) => mentions(whole, p));
  const sentences = answers.flatMap(sentencesOf);
  const evidence = [...new Set(sentences.filter((s) => covered.some((p) => mentions(s, p))))];
  const score = 1 + Math.round(((SCORE_MAX - 1) * covered.length) / Math.max(1, criterion.points.length));
  return {
    criterion: criterion.name,
    score,
    max: SCORE_MAX,
    evidence,
    missing: criterion.points.filter((p) => !covered.includes(p)),
  };
}
