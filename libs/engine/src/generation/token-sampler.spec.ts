import { candidateDistribution } from './logits-processors';
import { TokenSampler } from './token-sampler';

describe('sampling', () => {
  const logits = Float32Array.from([1, 3, 2, 0.5]);

  it('temperature 0 is greedy, and the repetition penalty can change the pick', () => {
    const greedy = new TokenSampler({ temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1 });
    expect(greedy.next(logits, [])).toBe(1);
    const penalized = new TokenSampler({ temperature: 0, topK: 0, topP: 1, repetitionPenalty: 2, seed: 1 });
    expect(penalized.next(logits, [1])).toBe(2);
  });

  it('top-k and top-p cut the distribution, which still sums to 1', () => {
    const k2 = candidateDistribution(logits, { temperature: 1, topK: 2, topP: 1 });
    expect(k2.ids).toEqual([1, 2]);
    const p = candidateDistribution(logits, { temperature: 1, topK: 0, topP: 0.5 });
    expect(p.ids).toEqual([1]);
    expect(k2.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('sampling over the whole vocabulary follows the softmax', () => {
    const sampler = new TokenSampler({ temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, seed: 9 });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampler.next(logits, [])]++;
    const expected = Array.from(logits).map((v) => Math.exp(v));
    const sum = expected.reduce((a, b) => a + b, 0);
    counts.forEach((c, i) => expect(c / 20000).toBeCloseTo(expected[i] / sum, 1));
  });

  it('the same seed draws the same tokens', () => {
    const draw = (seed: number) => {
      const sampler = new TokenSampler({ temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, seed });
      return Array.from({ length: 20 }, () => sampler.next(logits, []));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });
});
