import type { ReplyContext, Responder } from '@zhibing/dialogue';
import type { GenerationEvent } from '@zhibing/engine';
import type { GenerationMetrics } from './generation-metrics';

/** `responder`, with each generation's end (tokens, first-token time, duration) recorded in `metrics`. */
export function meterResponder(responder: Responder, metrics: GenerationMetrics): Responder {
  return {
    get name() {
      return responder.name;
    },
    countTokens: (text) => responder.countTokens(text),
    reply(context: ReplyContext) {
      const { trace, events } = responder.reply(context);
      return { trace, events: metered(events, responder.name, metrics) };
    },
  };
}

async function* metered(
  events: AsyncIterable<GenerationEvent>,
  name: string,
  metrics: GenerationMetrics,
): AsyncIterable<GenerationEvent> {
  for await (const event of events) {
    if (event.type === 'end')
      metrics.record(name, event.usage.completionTokens, event.timings.firstTokenMs, event.timings.totalMs);
    yield event;
  }
}
