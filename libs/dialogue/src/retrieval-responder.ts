import type { GenerationEvent } from '@zhibing/engine';
import { composeReply } from './reply/persona-voice';
import { speechPieces } from './reply/speech-pieces';
import type { ReplyContext, Responder, ResponderTrace } from './responder.port';

/** Says in every trace what answered: no generative model wrote this reply. */
export const RETRIEVAL_NOTE = 'no generative model configured: the retrieval responder answered';

/**
 * The honest default when no generative model is configured: answers from the knowledge that
 * answers the newest utterance, in the persona's voice (short spoken sentences, its lead-ins,
 * follow-ups and post-response), says it does not know when nothing does, and never repeats one
 * of its earlier replies verbatim. It says what it is in the trace.
 */
export class RetrievalResponder implements Responder {
  readonly name = 'retrieval';

  /** Rough count for budgeting: a CJK character or a short Latin word is about one token. */
  countTokens(text: string): number {
    return Math.ceil(text.length * 0.8);
  }

  reply(context: ReplyContext): { trace: ResponderTrace; events: AsyncIterable<GenerationEvent> } {
    const { grounding } = context;
    const text = composeReply({
      persona: context.persona,
      grounding,
      utterance: context.prompt.current.text,
      earlierReplies: context.earlierReplies,
      turnIndex: context.turnCount,
    });
    const said =
      grounding.case === 'knowledge'
        ? `answered from knowledge ${grounding.items[0].item.id}`
        : `${grounding.case}: nothing in the knowledge answers this`;
    return { trace: { engine: this.name, note: `${RETRIEVAL_NOTE}; ${said}` }, events: stream(text, context.signal) };
  }
}

/** Streams a finished reply sentence by sentence (as an engine would, in larger steps), stopping at once when aborted. */
async function* stream(text: string, signal: AbortSignal): AsyncIterable<GenerationEvent> {
  const started = performance.now();
  let emitted = '';
  let first = 0;
  for (const piece of speechPieces(text)) {
    if (signal.aborted) break;
    emitted += piece;
    if (!first) first = performance.now() - started;
    yield { type: 'delta', text: piece };
    await new Promise((resolve) => setImmediate(resolve));
  }
  yield {
    type: 'end',
    text: emitted,
    finishReason: signal.aborted ? 'cancelled' : 'stop',
    usage: { promptTokens: 0, completionTokens: Array.from(text).length },
    timings: { firstTokenMs: first, totalMs: performance.now() - started },
  };
}
