import * as fs from 'node:fs';
import * as path from 'node:path';
import { HashingEmbedder, type KdConvDialogue, type KdConvKb, KnowledgeIndex, kdconvCases, kdconvItems, selectKnowledge } from '@zhibing/knowledge';

/** How far down the ranking grounding looks (as decideGrounding does). */
const CANDIDATES = 3;

/** An utterance that asks something: it ends with a question mark or a question particle. */
const QUESTION = /([?？]|[吗呢么吧])[\s\p{P}]*$/u;

export interface CalibrationPoint {
  threshold: number;
  /** Share of answerable questions that would be answered from knowledge. */
  answered: number;
  /** Share of unanswerable questions that would get a fallback. */
  declined: number;
  balanced: number;
}

export interface Calibration {
  positives: number;
  negatives: number;
  points: CalibrationPoint[];
  best: CalibrationPoint;
}

interface Domain {
  name: string;
  index: KnowledgeIndex;
  questions: string[][];
}

function loadDomain(dir: string): Domain {
  const kb = JSON.parse(fs.readFileSync(path.join(dir, 'kb.json'), 'utf8')) as KdConvKb;
  const dialogues = JSON.parse(fs.readFileSync(path.join(dir, 'dev.json'), 'utf8')) as KdConvDialogue[];
  const questions = kdconvCases(dialogues).map((c) => c.turns).filter((turns) => QUESTION.test(turns[turns.length - 1] ?? ''));
  return { name: path.basename(dir), index: new KnowledgeIndex(kdconvItems(kb), [], new HashingEmbedder()), questions };
}

/** What grounding would score a question against a knowledge base: the best `newest` of the first items. */
function answerScore(index: KnowledgeIndex, turns: string[]): number {
  const ranked = selectKnowledge(index, turns, { top: CANDIDATES });
  return Math.max(0, ...ranked.map((r) => r.parts.newest ?? 0));
}

/**
 * Calibrates the "I don't know" threshold on KdConv dev data: questions whose next message used
 * knowledge, asked against their own domain's knowledge base (answerable), and the same questions
 * asked against another domain's base (where nothing answers them). The threshold with the best
 * balanced accuracy is the one to use; every point of the sweep is returned to be shown.
 */
export function calibrateThreshold(domainDirs: string[], step = 0.05): Calibration {
  const domains = domainDirs.map(loadDomain);
  const positives: number[] = [];
  const negatives: number[] = [];
  for (const domain of domains) {
    for (const turns of domain.questions) {
      positives.push(answerScore(domain.index, turns));
      for (const other of domains) if (other !== domain) negatives.push(answerScore(other.index, turns));
    }
  }
  const points: CalibrationPoint[] = [];
  for (let threshold = step; threshold < 1; threshold += step) {
    const t = Number(threshold.toFixed(4));
    const answered = positives.filter((s) => s >= t).length / Math.max(1, positives.length);
    const declined = negatives.filter((s) => s < t).length / Math.max(1, negatives.length);
    points.push({ threshold: t, answered, declined, balanced: (answered + declined) / 2 });
  }
  const best = points.reduce((a, b) => (b.balanced > a.balanced ? b : a));
  return { positives: positives.length, negatives: negatives.length, points, best };
}
