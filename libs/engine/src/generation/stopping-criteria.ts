import type { FinishReason } from '../engine.port';

/** When generation ends: an end-of-sequence token, a stop string, or the token limit. */
export class StoppingCriteria {
  constructor(
    private readonly eosIds: Set<number>,
    private readonly stopStrings: string[],
    private readonly maxTokens: number,
  ) {}

  /** The finish reason if generation must stop after `id`, with the text to keep (stop strings cut). */
  check(id: number, count: number, text: string): { reason: FinishReason; text: string } | null {
    if (this.eosIds.has(id)) return { reason: 'stop', text };
    for (const stop of this.stopStrings) {
      const at = text.indexOf(stop);
      if (at >= 0) return { reason: 'stop', text: text.slice(0, at) };
    }
    if (count >= this.maxTokens) return { reason: 'length', text };
    return null;
  }
}
