/** The generation totals of one /metrics scrape, summed over responders. */
export interface GenerationTotals {
  at: number;
  tokens: number;
  seconds: number;
  firstTokenSum: number;
  firstTokenCount: number;
}

/** One point of the engine page's charts: the rates over the interval that ended at `at`. */
export interface RatePoint {
  at: number;
  tokensPerSecond: number;
  /** Mean time to first token of the replies finished in the interval (null: none finished). */
  firstTokenMs: number | null;
}

const NAMES = {
  zhibing_generation_tokens_total: 'tokens',
  zhibing_generation_seconds_total: 'seconds',
  zhibing_generation_first_token_seconds_sum: 'firstTokenSum',
  zhibing_generation_first_token_seconds_count: 'firstTokenCount',
} as const;

const SAMPLE = /^(zhibing_generation_[a-z_]+)(?:\{[^}]*\})?\s+(\S+)/;

/** The generation counters of a Prometheus text scrape (`zhibing_generation_*`), summed over their labels. */
export function generationTotals(metrics: string, at: number): GenerationTotals {
  const totals: GenerationTotals = { at, tokens: 0, seconds: 0, firstTokenSum: 0, firstTokenCount: 0 };
  for (const line of metrics.split('\n')) {
    const match = SAMPLE.exec(line);
    const field = match && NAMES[match[1] as keyof typeof NAMES];
    const value = match ? Number(match[2]) : NaN;
    if (field && Number.isFinite(value)) totals[field] += value;
  }
  return totals;
}

/**
 * The rates between two scrapes: tokens per second of generation time (how fast the engine
 * writes while it writes, so idle time does not dilute it) and the mean first-token time.
 * A counter that went down (the gateway restarted) yields no point.
 */
export function ratesBetween(previous: GenerationTotals, current: GenerationTotals): RatePoint | null {
  const tokens = current.tokens - previous.tokens;
  const seconds = current.seconds - previous.seconds;
  const count = current.firstTokenCount - previous.firstTokenCount;
  if (tokens < 0 || seconds < 0 || count < 0) return null;
  return {
    at: current.at,
    tokensPerSecond: seconds > 0 ? tokens / seconds : 0,
    firstTokenMs: count > 0 ? ((current.firstTokenSum - previous.firstTokenSum) / count) * 1000 : null,
  };
}
