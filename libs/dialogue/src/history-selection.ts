import { HashingEmbedder } from '@zhibing/knowledge';

export interface Exchange {
  /** Id of the persona turn (or the user turn when it has no reply yet). */
  id: string;
  user: string;
  persona: string;
  /** Position in the dialogue, 0 = oldest. */
  index: number;
}

export interface KeptExchange extends Exchange {
  score: number;
}

const embedder = new HashingEmbedder();

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/**
 * XDAI history selection: score each earlier exchange [U_i; S_i] by recency decay times its
 * similarity to the current utterance, score_i = alpha^(t−i) · cos(emb([U_i;S_i]), emb(U_t)),
 * keep the best that fit `budget` tokens, and return them in dialogue order. The newest
 * exchange is always kept when it fits: it is what "那它呢？" refers to.
 */
export function selectHistory(
  exchanges: Exchange[],
  current: string,
  options: { alpha?: number; budget: number; countTokens: (text: string) => number },
): KeptExchange[] {
  if (exchanges.length === 0) return [];
  const alpha = options.alpha ?? 0.9;
  const t = exchanges.length;
  const query = embedder.embedSync(current);
  const scored = exchanges.map((e) => ({
    ...e,
    // A small floor keeps recency meaningful when nothing is lexically similar.
    score: Math.pow(alpha, t - e.index) * (0.05 + Math.max(0, cosine(embedder.embedSync(`${e.user}${e.persona}`), query))),
  }));
  const newest = scored[scored.length - 1];
  const ranked = [newest, ...scored.slice(0, -1).sort((a, b) => b.score - a.score)];
  const kept: KeptExchange[] = [];
  let used = 0;
  for (const exchange of ranked) {
    const cost = options.countTokens(exchange.user) + options.countTokens(exchange.persona);
    if (used + cost > options.budget) continue;
    kept.push(exchange);
    used += cost;
  }
  return kept.sort((a, b) => a.index - b.index);
}
