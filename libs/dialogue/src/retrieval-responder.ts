import type { GenerationEvent } from '@zhibing/engine';
import type { RankedKnowledge } from '@zhibing/knowledge';
import type { ReplyContext, Responder, ResponderTrace } from './responder.port';

/** The first sentences of a description, up to about `max` characters. */
function lead(text: string, max = 120): string {
  const sentences = text.split(/(?<=[。！？!?])/);
  let out = '';
  for (const sentence of sentences) {
    if (out && out.length + sentence.length > max) break;
    out += sentence;
  }
  return out.length > max * 1.5 ? `${out.slice(0, max)}…` : out;
}

/** The reply a knowledge item supports, phrased as a sentence. */
export function answerFrom(best: RankedKnowledge): string {
  const { item } = best;
  if (item.kind === 'qa') return item.answer ?? '';
  if (item.kind === 'description') return lead(item.text ?? item.tail ?? '');
  return `${item.head}的${item.relation}是${item.tail}${/[。！？.!?]$/.test(item.tail ?? '') ? '' : '。'}`;
}

/**
 * The honest default when no generative model is configured: answers with the best selected
 * knowledge (a QA answer, the lead of a description, or a fact as a sentence) or, when nothing
 * relevant is known, one of the persona's fallback lines. It says what it is in the trace.
 */
export class RetrievalResponder implements Responder {
  readonly name = 'retrieval';

  /** Rough count for budgeting: a CJK character or a short Latin word is about one token. */
  countTokens(text: string): number {
    return Math.ceil(text.length * 0.8);
  }

  reply(context: ReplyContext): { trace: ResponderTrace; events: AsyncIterable<GenerationEvent> } {
    const best = context.knowledge.find((k) => k.parts.entity > 0 || k.parts.lexical > 0);
    const text = best ? answerFrom(best) : context.persona.fallback[context.turnCount % context.persona.fallback.length];
    return {
      trace: { engine: this.name, note: best ? `answered from knowledge ${best.item.id}` : 'no relevant knowledge: persona fallback line' },
      events: stream(text, context.signal),
    };
  }
}

/** Streams text in small pieces (as an engine would), stopping at once when aborted. */
async function* stream(text: string, signal: AbortSignal): AsyncIterable<GenerationEvent> {
  const started = performance.now();
  const chars = Array.from(text);
  let emitted = '';
  let first = 0;
  for (let i = 0; i < chars.length; i += 4) {
    if (signal.aborted) break;
    const piece = chars.slice(i, i + 4).join('');
    emitted += piece;
    if (!first) first = performance.now() - started;
    yield { type: 'delta', text: piece };
    await new Promise((resolve) => setImmediate(resolve));
  }
  yield {
    type: 'end',
    text: emitted,
    finishReason: signal.aborted ? 'cancelled' : 'stop',
    usage: { promptTokens: 0, completionTokens: chars.length },
    timings: { firstTokenMs: first, totalMs: performance.now() - started },
  };
}
