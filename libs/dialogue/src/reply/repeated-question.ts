const normalize = (text: string) => text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

function bigrams(text: string): Set<string> {
  const chars = Array.from(text);
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return grams;
}

/** Character-bigram Dice overlap of two normalized utterances. */
function overlap(a: string, b: string): number {
  if (a === b) return 1;
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const gram of x) if (y.has(gram)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** How close an utterance must be to an earlier one to count as asking the same thing again. */
const SAME_QUESTION = 0.8;

/**
 * The earlier user turn that asked what `utterance` asks (the same words, or nearly), if any:
 * then the persona may give the same answer again, and says that it is repeating itself.
 */
export function findRepeatedQuestion<T extends { role: string; text: string }>(
  earlier: T[],
  utterance: string,
): T | undefined {
  const current = normalize(utterance);
  if (current.length < 2) return undefined;
  let best: { turn: T; score: number } | undefined;
  for (const turn of earlier) {
    if (turn.role !== 'user') continue;
    const score = overlap(current, normalize(turn.text));
    if (score >= SAME_QUESTION && (!best || score > best.score)) best = { turn, score };
  }
  return best?.turn;
}
