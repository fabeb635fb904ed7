import { seededRandom } from '@zhibing/kernels';
import type { GenerationSettings } from '../engine.port';
import { applyRepetitionPenalty, argmax, candidateDistribution } from './logits-processors';

/** Picks next tokens: greedy at temperature 0, otherwise seeded sampling (same seed, same text). */
export class TokenSampler {
  private readonly random: () => number;

  constructor(private readonly settings: Required<Pick<GenerationSettings, 'temperature' | 'topK' | 'topP' | 'repetitionPenalty'>> & { seed: number }) {
    this.random = seededRandom(settings.seed);
  }

  next(logits: Float32Array, generated: number[]): number {
    const scores = logits.slice();
    applyRepetitionPenalty(scores, generated, this.settings.repetitionPenalty);
    if (this.settings.temperature <= 0) return argmax(scores);
    const { ids, probs } = candidateDistribution(scores, this.settings);
    let r = this.random();
    for (let i = 0; i < ids.length; i++) {
      r -= probs[i];
      if (r <= 0) return ids[i];
    }
    return ids[ids.length - 1];
  }
}
