import { createHash } from 'node:crypto';
import { dot, type Embedder, EmbedderError } from '@zhibing/knowledge';

export interface Exchange {
  /** Id of the persona turn (or the user turn when it has no reply yet). */
  id: string;
  user: string;
  persona: string;
  /** Position in the dialogue, 0 = oldest. */
  index: number;
  /**
   * emb([U;S]) by the embedder in use, stored with the exchange when it was written; when absent
   * (an older turn, another embedder's vector) it is computed and reported through `onComputed`.
   */
  vector?: Float32Array;
  /** countTokens(U) + countTokens(S), stored with the exchange; counted (and reported) when absent. */
  tokens?: number;
}

/** What selection had to compute for an exchange that came without it, so the caller can store it. */
export interface ComputedFeatures {
  id: string;
  vector?: Float32Array;
  tokens?: number;
}

export interface KeptExchange extends Exchange {
  score: number;
}

/** Exchange vectors kept per embedder: a conversation's earlier exchanges are embedded once. */
const CACHE_ENTRIES = 4096;
const caches = new WeakMap<Embedder, Map<string, Float32Array>>();

/** Vectors of `texts` from the embedder's cache (by text hash), embedding only the ones not seen. */
async function cachedVectors(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  let cache = caches.get(embedder);
  if (!cache) caches.set(embedder, (cache = new Map()));
  const keys = texts.map((text) => createHash('sha1').update(text).digest('base64'));
  const missing = new Map<string, string>();
  keys.forEach((key, i) => {
    if (!cache.has(key)) missing.set(key, texts[i]);
  });
  const fresh = missing.size > 0 ? await embedder.embed([...missing.values()]) : [];
  [...missing.keys()].forEach((key, i) => cache.set(key, fresh[i]));
  const out = keys.map((key) => {
    const vector = cache.get(key)!;
    // A Map iterates in insertion order: re-inserting on use keeps the oldest-used first to evict.
    cache.delete(key);
    cache.set(key, vector);
    return vector;
  });
  for (const key of cache.keys()) {
    if (cache.size <= CACHE_ENTRIES) break;
    cache.delete(key);
  }
  return out;
}

/**
 * XDAI history selection: score each earlier exchange [U_i; S_i] by recency decay times its
 * similarity to the current utterance, score_i = alpha^(t−i) · cos(emb([U_i;S_i]), emb(U_t)),
 * keep the best that fit `budget` tokens, and return them in dialogue order. The newest
 * exchange is always kept when it fits: it is what "那它呢？" refers to. Embeds with the
 * deployment's embedder (the one knowledge selection uses); only the current utterance and
 * exchanges that come without a stored vector (and were not seen before) cost an embedding.
 */
export async function selectHistory(
  exchanges: Exchange[],
  current: string,
  options: {
    alpha?: number;
    budget: number;
    countTokens: (text: string) => number;
    embedder: Embedder;
    /** Told why, when the embedder fails and history is selected by recency alone. */
    onDegraded?: (reason: string) => void;
    /** Told the vectors and token counts computed for exchanges that came without them. */
    onComputed?: (computed: ComputedFeatures[]) => void;
  },
): Promise<KeptExchange[]> {
  if (exchanges.length === 0) return [];
  const alpha = options.alpha ?? 0.9;
  const t = exchanges.length;
  const computed = new Map<string, ComputedFeatures>();
  const compute = (e: Exchange) => computed.get(e.id) ?? computed.set(e.id, { id: e.id }).get(e.id)!;
  let similarity: (i: number) => number;
  try {
    const [query] = await options.embedder.embed([current]);
    const missing = exchanges.filter((e) => !e.vector);
    const fresh = await cachedVectors(
      options.embedder,
      missing.map((e) => `${e.user}${e.persona}`),
    );
    missing.forEach((e, i) => (compute(e).vector = fresh[i]));
    const vectors = exchanges.map((e) => e.vector ?? computed.get(e.id)!.vector!);
    similarity = (i) => Math.max(0, dot(vectors[i], query));
  } catch (error) {
    // An embedding server that is down must not cost the turn: recency still ranks the history.
    if (!(error instanceof EmbedderError)) throw error;
    options.onDegraded?.(`embedder ${options.embedder.id} failed (${error.code}); history by recency only`);
    similarity = () => 0;
  }
  const scored = exchanges.map((e, i) => ({
    ...e,
    // A small floor keeps recency meaningful when nothing is similar.
    score: Math.pow(alpha, t - e.index) * (0.05 + similarity(i)),
  }));
  const newest = scored[scored.length - 1];
  const ranked = [newest, ...scored.slice(0, -1).sort((a, b) => b.score - a.score)];
  const kept: KeptExchange[] = [];
  let used = 0;
  for (const exchange of ranked) {
    let cost = exchange.tokens;
    if (cost === undefined) {
      cost = options.countTokens(exchange.user) + options.countTokens(exchange.persona);
      compute(exchange).tokens = cost;
    }
    if (used + cost > options.budget) continue;
    kept.push(exchange);
    used += cost;
  }
  if (computed.size > 0) options.onComputed?.([...computed.values()]);
  return kept.sort((a, b) => a.index - b.index);
}
