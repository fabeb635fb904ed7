import type { ConversationRepository, TurnRecord } from '../conversation.repository';
import type { StoredExchange } from '../history.repository';
import type { ReplySink } from '../reply-sink.port';
import { speechPieces } from '../reply/speech-pieces';

/** What a reply's trace says about the scenario: the phase after the turn, and the move it made. */
export interface ScenarioTrace {
  phase: string;
  from?: string;
  to?: string;
  by?: string;
}

/** Scripted lines as one reply's text: one line each. */
export const scriptText = (lines: string[]): string => lines.join('\n');

/**
 * Writes a persona turn of scripted lines only (a scenario's phase line, a timer's, the end
 * button's): no knowledge selection, no engine. Streamed sentence by sentence like the retrieval
 * responder's answers, so the widget shows and speaks it the same way.
 */
export class ScriptedReplyWriter {
  constructor(private readonly conversations: ConversationRepository) {}

  async write(
    conversationId: string,
    sink: ReplySink,
    reply: TurnRecord,
    lines: string[],
    scenario: ScenarioTrace,
    signal: AbortSignal,
    /** For a reply to a message: what history selection stores about the exchange it closes. */
    exchangeOf?: (text: string, degraded: (string | undefined)[]) => Promise<StoredExchange>,
  ): Promise<void> {
    const started = performance.now();
    sink.emit('reply.start', { conversationId, turnId: reply.id, replyTo: reply.replyTo });
    sink.emit('avatar.state', { conversationId, state: 'speaking' });
    let text = '';
    try {
      let seq = 0;
      for (const piece of speechPieces(scriptText(lines))) {
        if (signal.aborted) break;
        text += piece;
        sink.emit('reply.delta', { conversationId, turnId: reply.id, seq: seq++, text: piece });
      }
      const status = signal.aborted ? 'interrupted' : 'complete';
      const degraded: (string | undefined)[] = [];
      const exchange = exchangeOf && (await exchangeOf(text, degraded));
      await this.conversations.closeReply(reply.id, {
        text,
        status,
        exchange,
        trace: {
          engine: 'scenario',
          scenario,
          degraded: degraded.filter(Boolean).join('; ') || undefined,
          timings: { totalMs: Math.round(performance.now() - started) },
        },
      });
      sink.emit('reply.end', {
        conversationId,
        turnId: reply.id,
        text,
        knowledge: [],
        finishReason: status === 'interrupted' ? 'interrupted' : 'stop',
      });
    } catch (error) {
      await failReply(this.conversations, conversationId, sink, reply, text, signal, error);
      throw error;
    } finally {
      sink.emit('avatar.state', { conversationId, state: 'listening' });
    }
  }
}

/**
 * Closes a reply that could not be written (failed, or interrupted when cancelled) and tells the
 * client; the client hears the reply ended even when the database cannot record it right now.
 */
export async function failReply(
  conversations: ConversationRepository,
  conversationId: string,
  sink: ReplySink,
  reply: TurnRecord,
  text: string,
  signal: AbortSignal,
  error: unknown,
): Promise<void> {
  const code = (error as { code?: string }).code ?? 'reply_failed';
  try {
    await conversations.closeReply(reply.id, {
      text,
      status: signal.aborted ? 'interrupted' : 'failed',
      error: { code, message: (error as Error).message },
    });
  } finally {
    sink.emit('error', { code: 'reply_failed', message: 'The reply could not be completed', ref: reply.id });
    sink.emit('reply.end', { conversationId, turnId: reply.id, text, knowledge: [], finishReason: 'error' });
  }
}
