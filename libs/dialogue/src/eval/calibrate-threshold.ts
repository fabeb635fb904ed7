import * as fs from 'node:fs';
import * as path from 'node:path';
import { decideGrounding } from '../reply/grounding';
import {
  HashingEmbedder,
  type KdConvDialogue,
  type KdConvKb,
  KnowledgeIndex,
  kdconvCases,
  kdconvItems,
  type SelectionCase,
  selectKnowledge,
  tripleKey,
} from '@zhibing/knowledge';

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
  questions: SelectionCase[];
}

function loadDomain(dir: string): Domain {
  const kb = JSON.parse(fs.readFileSync(path.join(dir, 'kb.json'), 'utf8')) as KdConvKb;
  const dialogues = JSON.parse(fs.readFileSync(path.join(dir, 'dev.json'), 'utf8')) as KdConvDialogue[];
  const questions = kdconvCases(dialogues).filter((c) => QUESTION.test(c.turns[c.turns.length - 1] ?? ''));
  return { name: path.basename(dir), index: new KnowledgeIndex(kdconvItems(kb), [], new HashingEmbedder()), questions };
}

/**
 * What grounding scores a question (the same decision the dialogue makes): with the knowledge that
 * answers it, and with that knowledge missing — the hard case of a base that knows the entity and
 * its other facts but not what was asked.
 */
function groundingScores(index: KnowledgeIndex, question: SelectionCase): { present: number; missing: number } {
  const utterance = question.turns[question.turns.length - 1] ?? '';
  const ranked = selectKnowledge(index, question.turns, { top: 10 });
  const gold = new Set(question.gold.map((g) => tripleKey(g.head, g.relation, g.tail)));
  const isGold = (r: (typeof ranked)[number]) =>
    gold.has(tripleKey(r.item.head ?? '', r.item.relation ?? '', r.item.tail ?? ''));
  return {
    present: decideGrounding(ranked.slice(0, 5), utterance).score,
    missing: decideGrounding(ranked.filter((r) => !isGold(r)).slice(0, 5), utterance).score,
  };
}

/**
 * Calibrates the "I don't know" threshold on KdConv dev data: questions whose next message used
 * knowledge, answered from their domain's knowledge base (answerable), and the same questions with
 * the knowledge they used left out of the selection (unanswerable: the base knows the entity but
 * not what was asked). The threshold with the best balanced accuracy is the one to use; every point
 * of the sweep is returned to be shown.
 */
export function calibrateThreshold(domainDirs: string[], step = 0.05): Calibration {
  const domains = domainDirs.map(loadDomain);
  const positives: number[] = [];
  const negatives: number[] = [];
  for (const domain of domains) {
    for (const question of domain.questions) {
      const { present, missing } = groundingScores(domain.index, question);
      positives.push(present);
      negatives.push(missing);
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
