import { createHash } from 'node:crypto';
import type { GenerationEvent } from '@zhibing/engine';
import { type ServerEvents, ZhibingError } from '@zhibing/protocol';
import type { Caller } from './caller';
import type { DialogueService } from './dialogue.service';
import type { ReplySink } from './reply-sink.port';
import type { TranscriptRepository } from './transcript.repository';

/** A message of a client-held transcript (OpenAI chat format). */
export interface TranscriptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The persona's reply to the transcript's last user message, as it streams. */
export interface TranscriptReply {
  conversationId: string;
  /** Deltas, then one `end` (usage from the stored trace); throws `reply_failed` when the turn failed. */
  events: AsyncIterable<GenerationEvent>;
}

type End = Extract<GenerationEvent, { type: 'end' }>;

/** Says where the stored history came from, in place of a generation trace. */
const HISTORY_TRACE = {
  engine: 'client-transcript',
  note: 'sent by the client with the request (OpenAI API), not generated here',
};

/**
 * A stable key of a transcript up to and including one of its user messages: stored as that user
 * turn's clientMessageId, it lets the next request (the same transcript, the reply, a new
 * message) find the conversation again.
 */
function transcriptKey(messages: readonly TranscriptMessage[]): string {
  const digest = createHash('sha256').update(JSON.stringify(messages.map((m) => [m.role, m.content])));
  return `t:${digest.digest('hex').slice(0, 32)}`;
}

/**
 * Chats whose client holds the transcript and sends all of it with every request (the OpenAI
 * chat API: Open WebUI and any OpenAI client). A request that continues a stored conversation
 * (its earlier messages are that conversation, ending with the persona's reply) is added to it;
 * any other becomes a new conversation on the caller's channel, the earlier user and assistant
 * messages stored as its turns. The last user message then runs as a turn of the DialogueService —
 * history and knowledge selection, the persona prompt, the responder, the trace and failure
 * records — exactly as a widget message does. System messages are not stored: the persona speaks.
 */
export class TranscriptChatService {
  constructor(
    private readonly dialogue: DialogueService,
    private readonly transcripts: TranscriptRepository,
  ) {}

  async reply(
    caller: Caller,
    input: { personaId: string; messages: TranscriptMessage[]; signal: AbortSignal },
  ): Promise<TranscriptReply> {
    const dialogue = input.messages.filter((m) => m.role !== 'system');
    const last = dialogue[dialogue.length - 1];
    if (!last || last.role !== 'user')
      throw new ZhibingError(
        'message_invalid',
        "The last message must be the user's: it is the one the persona answers",
      );
    const conversationId =
      (await this.continued(caller, input.personaId, dialogue)) ??
      (await this.stored(caller, input.personaId, dialogue));
    const stream = new ReplyStream(conversationId);
    const accepted = await this.dialogue.sendMessage(
      caller,
      { conversationId, clientMessageId: transcriptKey(dialogue), text: last.content },
      stream,
    );
    const cancel = () =>
      void this.dialogue.cancel(caller, stream.turnId ?? '').catch((error: unknown) => stream.fail(error));
    input.signal.addEventListener('abort', cancel, { once: true });
    return {
      conversationId,
      events: this.withUsage(stream, conversationId, accepted.turnId, () =>
        input.signal.removeEventListener('abort', cancel),
      ),
    };
  }

  /** The stored conversation that `dialogue` continues: ..., user, the persona's reply to it, the new message. */
  private async continued(caller: Caller, personaId: string, dialogue: TranscriptMessage[]): Promise<string | null> {
    const reply = dialogue[dialogue.length - 2];
    if (dialogue.length < 3 || reply.role !== 'assistant' || dialogue[dialogue.length - 3].role !== 'user') return null;
    return this.transcripts.findContinuation({
      workspaceId: caller.workspaceId,
      personaId,
      channel: caller.channel,
      clientMessageId: transcriptKey(dialogue.slice(0, -2)),
      replyText: reply.content,
    });
  }

  /**
   * A new conversation holding the earlier messages as turns: user messages, and assistant
   * messages as complete replies to the user turn before them.
   */
  private async stored(caller: Caller, personaId: string, dialogue: TranscriptMessage[]): Promise<string> {
    const session = await this.dialogue.startSession(caller, { personaId, visitorId: `${caller.channel}-client` });
    const conversationId = session.conversationId;
    let lastUserTurn: string | null = null;
    for (const [index, message] of dialogue.slice(0, -1).entries()) {
      if (message.role === 'user') {
        const key = transcriptKey(dialogue.slice(0, index + 1));
        lastUserTurn = (await this.dialogue.conversations.addUserTurn(conversationId, key, message.content)).turn.id;
      } else if (lastUserTurn) {
        const reply = await this.dialogue.conversations.openReply(conversationId, lastUserTurn);
        await this.dialogue.conversations.closeReply(reply.id, {
          text: message.content,
          status: 'complete',
          trace: HISTORY_TRACE,
        });
      }
      // An assistant message before any user message (a greeting) answers no turn: the persona's greeting stands.
    }
    return conversationId;
  }

  /** The reply's events with the `end` completed from the stored trace (token counts). */
  private async *withUsage(
    stream: ReplyStream,
    conversationId: string,
    userTurnId: string,
    done: () => void,
  ): AsyncIterable<GenerationEvent> {
    try {
      for await (const event of stream) {
        if (event.type !== 'end') {
          yield event;
          continue;
        }
        // The reply's own row (by its id, from reply.start), not a search through the conversation.
        const reply = stream.turnId
          ? await this.dialogue.conversations.turn(stream.turnId)
          : await this.dialogue.conversations.replyTo(userTurnId);
        const tokens = (reply?.trace as { tokens?: { promptTokens?: number; completionTokens?: number } } | null)
          ?.tokens;
        yield {
          ...event,
          usage: { promptTokens: tokens?.promptTokens ?? 0, completionTokens: tokens?.completionTokens ?? 0 },
        };
      }
    } finally {
      done();
    }
  }
}

/** A ReplySink that turns the socket events of one reply into a stream of generation events. */
class ReplyStream implements ReplySink, AsyncIterable<GenerationEvent> {
  turnId: string | null = null;
  private readonly items: GenerationEvent[] = [];
  private failure: unknown = null;
  private ended = false;
  private wake: (() => void) | null = null;
  private readonly started = performance.now();
  private firstTokenMs = 0;

  constructor(private readonly conversationId: string) {}

  emit<E extends keyof ServerEvents>(event: E, payload: ServerEvents[E]): void {
    if (
      (payload as { conversationId?: string }).conversationId !== undefined &&
      (payload as { conversationId?: string }).conversationId !== this.conversationId
    )
      return;
    if (event === 'reply.start') this.turnId = (payload as ServerEvents['reply.start']).turnId;
    else if (event === 'reply.delta') {
      if (!this.firstTokenMs) this.firstTokenMs = performance.now() - this.started;
      this.push({ type: 'delta', text: (payload as ServerEvents['reply.delta']).text });
    } else if (event === 'reply.end') this.finish(payload as ServerEvents['reply.end']);
  }

  fail(error: unknown): void {
    this.failure = error;
    this.ended = true;
    this.wake?.();
  }

  private finish(end: ServerEvents['reply.end']): void {
    if (end.finishReason === 'error') {
      this.fail(
        new ZhibingError('reply_failed', 'The reply could not be completed; the partial reply is stored as failed', {
          turnId: end.turnId,
          conversationId: this.conversationId,
        }),
      );
      return;
    }
    const finishReason: End['finishReason'] = end.finishReason === 'interrupted' ? 'cancelled' : end.finishReason;
    this.push({
      type: 'end',
      text: end.text,
      finishReason,
      usage: { promptTokens: 0, completionTokens: 0 },
      timings: { firstTokenMs: this.firstTokenMs, totalMs: performance.now() - this.started },
    });
    this.ended = true;
    this.wake?.();
  }

  private push(event: GenerationEvent): void {
    this.items.push(event);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<GenerationEvent> {
    for (;;) {
      while (this.items.length > 0) yield this.items.shift()!;
      if (this.failure) throw this.failure;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}
