import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * What the replies' generation cost, by responder (`onnx:tiny-moe`, `retrieval`): tokens written,
 * seconds spent generating, and time to first token. Rates over any window are deltas of these
 * (tokens/s = Δtokens / Δseconds; mean first-token time = Δsum / Δcount), which is how the
 * console's engine page plots them.
 */
export class GenerationMetrics {
  readonly tokens: Counter<'responder'>;
  readonly seconds: Counter<'responder'>;
  readonly firstToken: Histogram<'responder'>;

  constructor(registry: Registry) {
    this.tokens = new Counter({
      name: 'zhibing_generation_tokens_total',
      help: 'Completion tokens written by the responder',
      labelNames: ['responder'] as const,
      registers: [registry],
    });
    this.seconds = new Counter({
      name: 'zhibing_generation_seconds_total',
      help: 'Seconds the responder spent generating replies (first call to last token)',
      labelNames: ['responder'] as const,
      registers: [registry],
    });
    this.firstToken = new Histogram({
      name: 'zhibing_generation_first_token_seconds',
      help: 'Time from the generation call to its first text',
      labelNames: ['responder'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** Records one finished generation (cancelled and failed ones too: their tokens were computed). */
  record(responder: string, completionTokens: number, firstTokenMs: number, totalMs: number): void {
    this.tokens.inc({ responder }, completionTokens);
    this.seconds.inc({ responder }, totalMs / 1000);
    // A generation that wrote nothing has no first token to time.
    if (completionTokens > 0) this.firstToken.observe({ responder }, firstTokenMs / 1000);
  }
}
