import { seededRandom } from '@zhibing/kernels';
import type { GenerationSettings } from '../engine.port';
import { applyRepetitionPenalty, argmax, candidateDistribution } from './logits-processors';

/** Picks next tokens: greedy at temperature 0, otherwise seeded sampling (same seed, same text). */
export class TokenSampler {
  private readonly random: () => number;

  constructor(
    private readonly settings: Required<
      Pick<GenerationSettings, 'temperature' | 'topK' | 'topP' | 'repetitionPenalty'>
    > & { seed: number },
  ) {
    this.random = seededRandom(settings.seed);
  }

  next(logits: Float32Array, generated: number[]): number {
    const scores = logits.slice();
    applyRepetitionPenalty(scores, generated, this.settings.repetitionPenalty);
    if (this.settings.temperature <= 0) return argmax(scores);
    if (this.settings.topP >= 1 && (this.settings.topK <= 0 || this.settings.topK >= scores.length))
      return this.sampleWhole(scores);
    const { ids, probs } = candidateDistribution(scores, this.settings);
    let r = this.random();
    for (let i = 0; i < ids.length; i++) {
      r -= probs[i];
      if (r <= 0) return ids[i];
    }
    return ids[ids.length - 1];
  }

  /** Softmax sampling over the whole vocabulary in two passes, without allocating (the hot path). */
  private sampleWhole(logits: Float32Array): number {
    const t = this.settings.temperature;
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
    let total = 0;
    for (let i = 0; i < logits.length; i++) total += Math.exp((logits[i] - max) / t);
    let r = this.random() * total;
    for (let i = 0; i < logits.length; i++) {
      r -= Math.exp((logits[i] - max) / t);
      if (r <= 0) return i;
    }
    return logits.length - 1;
  }
}
