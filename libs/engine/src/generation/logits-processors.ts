import type { GenerationSettings } from '../engine.port';

/** Penalizes tokens already generated (CTRL-style): positive logits divided, negative multiplied. */
export function applyRepetitionPenalty(logits: Float32Array, generated: number[], penalty: number): void {
  if (penalty === 1) return;
  for (const id of new Set(generated)) logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
}

/**
 * Turns logits into the candidate distribution to sample from: temperature, then top-k, then
 * top-p (nucleus). Returns candidate ids and their probabilities (summing to 1), best first
 * (in vocabulary order when nothing is cut).
 */
export function candidateDistribution(
  logits: Float32Array,
  settings: Required<Pick<GenerationSettings, 'temperature' | 'topK' | 'topP'>>,
): { ids: number[]; probs: number[] } {
  // Nothing to cut: the whole softmax, without sorting the vocabulary.
  const whole = settings.topP >= 1 && (settings.topK <= 0 || settings.topK >= logits.length);
  const order = whole ? Array.from(logits.keys()) : Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a]);
  const k = settings.topK > 0 ? Math.min(settings.topK, order.length) : order.length;
  const top = order.slice(0, k);
  let max = -Infinity;
  for (const id of top) if (logits[id] > max) max = logits[id];
  const weights = top.map((id) => Math.exp((logits[id] - max) / settings.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  const ids: number[] = [];
  const probs: number[] = [];
  let cumulative = 0;
  for (let i = 0; i < top.length; i++) {
    const p = weights[i] / total;
    ids.push(top[i]);
    probs.push(p);
    cumulative += p;
    if (cumulative >= settings.topP) break;
  }
  const kept = probs.reduce((a, b) => a + b, 0);
  return { ids, probs: probs.map((p) => p / kept) };
}

/** Index of the largest logit. */
export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/** log-softmax of one logit. */
export function logProbability(logits: Float32Array, id: number): number {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  return logits[id] - max - Math.log(sum);
}
