import { createHash } from 'node:crypto';
import type { KnowledgeService } from '@zhibing/knowledge';
import type { PersonaRepository, StoredPersona } from '@zhibing/persona';
import {
  type ChatMessageEvent,
  type MessageAccepted,
  type SessionStart,
  type SessionStarted,
  ZhibingError,
} from '@zhibing/protocol';
import { assertPersonaAllowed, type Caller } from './caller';
import { ConversationRepository, type TurnRecord } from './conversation.repository';
import { ReplySweeper } from './reply-sweeper';
import { messageText } from './message-text';
import { HistoryRepository } from './history.repository';
import { TurnHistory } from './turn-history';
import { TtlCache } from './ttl-cache';
import type { ReplySink } from './reply-sink.port';
import type { Responder } from './responder.port';
import { groundingTrace, round, storable } from './reply-trace';
import { knowledgeRef, prepareTurn } from './turn-pipeline';

interface ActiveReply {
  conversationId: string;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The product's main job: sessions with a persona, user messages stored before they are
 * acknowledged, and knowledge-grounded replies streamed to the conversation and stored with
 * their trace when they end — or marked interrupted / failed, never silently lost.
 */
export class DialogueService {
  readonly conversations: ConversationRepository;
  private readonly history: TurnHistory;
  private readonly active = new Map<string, ActiveReply>();
  /** A persona version never changes; archiving one reaches running conversations within the cache's time. */
  private readonly personaVersions: TtlCache<StoredPersona>;
  private readonly kbIds: TtlCache<string[]>;
  private readonly sweeper: ReplySweeper;

  constructor(
    db: import('typeorm').DataSource,
    private readonly knowledge: KnowledgeService,
    private readonly personas: PersonaRepository,
    private readonly responder: Responder,
    private readonly options: {
      historyBudget?: number;
      /** How many of the newest earlier exchanges a turn reads (default HISTORY_WINDOW). */
      historyWindow?: number;
      /** How long persona versions and knowledge-base ids are reused before being read again (ms). */
      lookupCacheMs?: number;
    } = {},
  ) {
    this.conversations = new ConversationRepository(db);
    this.sweeper = new ReplySweeper(this.conversations);
    this.history = new TurnHistory(new HistoryRepository(db), knowledge.embedder, responder, options.historyWindow);
    this.personaVersions = new TtlCache(options.lookupCacheMs ?? LOOKUP_CACHE_MS);
    this.kbIds = new TtlCache(options.lookupCacheMs ?? LOOKUP_CACHE_MS);
  }

  get responderName(): string {
    return this.responder.name;
  }

  /** Starts a conversation, or resumes one (its turns, including any reply the client missed). */
  async startSession(caller: Caller, input: SessionStart): Promise<SessionStarted> {
    assertPersonaAllowed(caller, input.personaId);
    if (input.conversationId) {
      const conversation = await this.conversations.get(caller.workspaceId, input.conversationId);
      if (conversation && conversation.personaId === input.personaId) {
        const stored = await this.personas.requireForChat(
          caller.workspaceId,
          conversation.personaId,
          conversation.personaVersion,
        );
        return {
          conversationId: conversation.id,
          persona: { id: stored.persona.id, name: stored.persona.name, version: stored.version },
          greeting: stored.persona.greeting,
          avatarUrl: stored.avatarUrl,
          resumed: true,
          history: await this.conversations.transcript(conversation.id),
          ...(conversation.takeover
            ? { operator: { name: conversation.takeover.operatorName, since: conversation.takeover.since } }
            : {}),
        };
      }
      if (!conversation) throw new ZhibingError('conversation_not_found', `No conversation ${input.conversationId}`);
    }
    const stored = await this.personas.requireForChat(caller.workspaceId, input.personaId);
    const conversation = await this.conversations.create({
      workspaceId: caller.workspaceId,
      personaId: stored.persona.id,
      personaVersion: stored.version,
      visitorId: input.visitorId,
      channel: caller.channel,
    });
    return {
      conversationId: conversation.id,
      persona: { id: stored.persona.id, name: stored.persona.name, version: stored.version },
      greeting: stored.persona.greeting,
      avatarUrl: stored.avatarUrl,
      resumed: false,
      history: [],
    };
  }

  /**
   * Stores the user's message (once per clientMessageId) and starts the reply, which streams to
   * `sink`. Resolves as soon as the message is stored: that is the acknowledgement.
   */
  async sendMessage(caller: Caller, input: ChatMessageEvent, sink: ReplySink): Promise<MessageAccepted> {
    const text = messageText(input.text);
    const conversation = await this.conversations.require(caller.workspaceId, input.conversationId);
    assertPersonaAllowed(caller, conversation.personaId);
    // Taken over: the message is stored and reaches the operator; a person answers it, not the persona.
    if (conversation.takeover) return this.holdForOperator(conversation.id, input.clientMessageId, text, sink);
    const stored = await this.conversations.addMessage(conversation.id, input.clientMessageId, text);
    const { turn, created } = stored;
    const context = { caller, conversationId: conversation.id, personaId: conversation.personaId, sink };
    const about = {
      personaVersion: conversation.personaVersion,
      userTurn: turn,
      priorUserTurns: stored.priorUserTurns,
    };
    if (created) {
      sink.emit('visitor.message', { conversationId: conversation.id, turnId: turn.id, seq: turn.seq, text });
      // A newer message supersedes a reply still being written in this conversation.
      for (const reply of this.active.values()) if (reply.conversationId === conversation.id) reply.controller.abort();
      this.startReply(context, about, stored.reply!);
    } else if (turn.text !== text) {
      // A retry resends the same message; the same id with other text is a client bug, not a retry.
      throw new ZhibingError(
        'message_conflict',
        `clientMessageId "${input.clientMessageId}" was already used for another message`,
      );
    } else if (await this.answersRetry(conversation.id, turn)) {
      this.startReply(context, about, await this.conversations.openReply(conversation.id, turn.id));
    }
    return { turnId: turn.id, duplicate: !created };
  }

  /**
   * Whether a retried message gets a new reply: when its reply never started (the first attempt
   * failed right after storing it), or ended interrupted or failed (a crash, an engine error, a
   * cancel) while it is still the conversation's last exchange — a retry is the client asking for
   * the answer it did not get. A complete reply, one still streaming, or one followed by newer
   * turns is left as it is.
   */
  private async answersRetry(conversationId: string, turn: TurnRecord): Promise<boolean> {
    const reply = await this.conversations.replyTo(turn.id);
    if (!reply) return true;
    if (reply.status !== 'interrupted' && reply.status !== 'failed') return false;
    return this.conversations.isLastTurn(conversationId, reply.seq);
  }

  /** Interrupts the replies this process is writing in a conversation (an operator took it over). */
  async interruptReplies(conversationId: string): Promise<void> {
    const replies = [...this.active.values()].filter((r) => r.conversationId === conversationId);
    for (const reply of replies) reply.controller.abort();
    await Promise.all(replies.map((r) => r.done));
  }

  /** A message in a taken-over conversation: stored once per clientMessageId and shown to the operator. */
  private async holdForOperator(
    conversationId: string,
    clientMessageId: string,
    text: string,
    sink: ReplySink,
  ): Promise<MessageAccepted> {
    const { turn, created } = await this.conversations.addUserTurn(conversationId, clientMessageId, text);
    if (!created && turn.text !== text)
      throw new ZhibingError(
        'message_conflict',
        `clientMessageId "${clientMessageId}" was already used for another message`,
      );
    if (created) sink.emit('visitor.message', { conversationId, turnId: turn.id, seq: turn.seq, text });
    return { turnId: turn.id, duplicate: !created };
  }

  /** Cancels a reply being written; its partial text is kept, marked interrupted. */
  async cancel(caller: Caller, turnId: string): Promise<boolean> {
    const reply = this.active.get(turnId);
    if (!reply) return false;
    await this.conversations.require(caller.workspaceId, reply.conversationId);
    reply.controller.abort();
    await reply.done;
    return true;
  }

  /** Replies currently being written. */
  get activeReplies(): number {
    return this.active.size;
  }

  /** Waits for every reply in flight (shutdown, tests). */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.active.values()].map((r) => r.done));
  }

  /** Stops every reply in flight, keeping their partial text as interrupted. */
  async shutdown(): Promise<void> {
    this.stopSweeping();
    for (const reply of this.active.values()) reply.controller.abort();
    await this.whenIdle();
  }

  /**
   * Interrupts replies whose writer is gone, now and every lease period (see ReplySweeper).
   * Resolves with how many the first sweep closed.
   */
  startSweeping(onSwept?: (interrupted: number, error?: Error) => void): Promise<number> {
    return this.sweeper.start(onSwept);
  }

  stopSweeping(): void {
    this.sweeper.stop();
  }

  /** Writes the opened reply in the background, tracked until it ends. */
  private startReply(context: ReplyTarget, about: ReplyAbout, reply: TurnRecord): void {
    const controller = new AbortController();
    const done = this.writeReply(context, about, reply, controller)
      .catch(() => undefined)
      .finally(() => this.active.delete(reply.id));
    this.active.set(reply.id, { conversationId: context.conversationId, controller, done });
  }

  private async writeReply(
    { caller, conversationId, personaId, sink }: ReplyTarget,
    { personaVersion, userTurn, priorUserTurns }: ReplyAbout,
    reply: TurnRecord,
    controller: AbortController,
  ): Promise<void> {
    const started = performance.now();
    sink.emit('reply.start', { conversationId, turnId: reply.id, replyTo: userTurn.id });
    const stored = await this.personaVersions.get(`${caller.workspaceId}:${personaId}:${personaVersion}`, () =>
      this.personas.requireForChat(caller.workspaceId, personaId, personaVersion),
    );
    sink.emit('avatar.state', { conversationId, state: 'thinking', emotion: stored.persona.grounding?.emotion });
    let text = '';
    let seq = 0;
    let savedAt = performance.now();
    // The reply's lease: while this process writes it, it says so, so no other process interrupts it.
    const heartbeatFailures: string[] = [];
    const heartbeat = setInterval(() => {
      this.conversations.heartbeat(reply.id).catch((error: Error) => heartbeatFailures.push(error.message));
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const earlier = await this.history.before(conversationId, userTurn.seq);
      const kbIds = await this.knowledgeBaseIds(caller.workspaceId, stored.persona.knowledgeBases);
      const prepared = await prepareTurn({
        persona: stored.persona,
        knowledgeBaseIds: kbIds,
        knowledge: this.knowledge,
        earlierTurns: earlier,
        current: userTurn.text,
        countTokens: (t) => this.responder.countTokens(t),
        tokenizer: this.responder.name,
        historyBudget: this.options.historyBudget ?? 512,
      });
      const degraded = [prepared.degraded, await this.history.storeComputed(earlier, prepared.computed)];
      const { trace, events } = this.responder.reply({
        persona: stored.persona,
        prompt: prepared.prompt,
        knowledge: prepared.knowledge,
        grounding: prepared.grounding,
        earlierReplies: prepared.earlierReplies,
        turnCount: priorUserTurns,
        signal: controller.signal,
      });
      let finishReason: 'stop' | 'length' | 'cancelled' | 'error' = 'stop';
      let usage = { promptTokens: trace.promptTokens ?? 0, completionTokens: 0 };
      let firstTokenMs = 0;
      for await (const event of events) {
        if (event.type === 'delta') {
          if (seq === 0) {
            firstTokenMs = performance.now() - started;
            sink.emit('avatar.state', {
              conversationId,
              state: 'speaking',
              emotion: stored.persona.grounding?.emotion,
            });
          }
          const piece = storable(event.text);
          text += piece;
          sink.emit('reply.delta', { conversationId, turnId: reply.id, seq: seq++, text: piece });
          // What the client has seen is saved as it streams, so a crashed process leaves it, not an empty reply.
          if (performance.now() - savedAt >= PROGRESS_SAVE_MS) {
            savedAt = performance.now();
            await this.conversations.saveProgress(reply.id, text);
          }
        } else {
          finishReason = event.finishReason;
          usage = {
            promptTokens: event.usage.promptTokens || usage.promptTokens,
            completionTokens: event.usage.completionTokens,
          };
        }
      }
      const knowledge = prepared.knowledge.map((k) => ({ ...knowledgeRef(k), parts: k.parts }));
      const status = finishReason === 'cancelled' ? 'interrupted' : finishReason === 'error' ? 'failed' : 'complete';
      const exchange = await this.history.exchangeOf(userTurn.text, text, degraded);
      await this.conversations.closeReply(reply.id, {
        text,
        status,
        exchange,
        trace: {
          engine: trace.engine,
          embedder: this.knowledge.embedder.id,
          note: trace.note,
          keptHistory: prepared.keptHistory,
          grounding: groundingTrace(prepared.grounding),
          knowledge,
          degraded:
            [
              ...degraded,
              heartbeatFailures.length ? `${heartbeatFailures.length} heartbeats failed (${heartbeatFailures[0]})` : '',
            ]
              .filter(Boolean)
              .join('; ') || undefined,
          prompt: trace.prompt,
          promptDigest: trace.prompt ? createHash('sha256').update(trace.prompt).digest('hex').slice(0, 16) : undefined,
          dropped: trace.dropped,
          tokens: usage,
          finishReason,
          timings: {
            ...round(prepared.timings),
            firstTokenMs: Math.round(firstTokenMs),
            totalMs: Math.round(performance.now() - started),
          },
        },
      });
      sink.emit('reply.end', {
        conversationId,
        turnId: reply.id,
        text,
        knowledge: knowledge.map(({ parts: _parts, ...k }) => k),
        finishReason: status === 'interrupted' ? 'interrupted' : finishReason,
      });
      if (status === 'failed')
        sink.emit('error', {
          code: 'reply_failed',
          message: 'The engine failed while writing the reply',
          ref: reply.id,
        });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'reply_failed';
      try {
        await this.conversations.closeReply(reply.id, {
          text,
          status: controller.signal.aborted ? 'interrupted' : 'failed',
          error: { code, message: (error as Error).message },
        });
      } finally {
        // The client hears the reply ended even when the database cannot record it right now.
        sink.emit('error', { code: 'reply_failed', message: 'The reply could not be completed', ref: reply.id });
        sink.emit('reply.end', { conversationId, turnId: reply.id, text, knowledge: [], finishReason: 'error' });
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
      sink.emit('avatar.state', { conversationId, state: 'listening' });
    }
  }

  /** Ids of the persona's knowledge bases that exist in the workspace (cached a few seconds). */
  private knowledgeBaseIds(workspaceId: string, names: string[]): Promise<string[]> {
    return this.kbIds.get(`${workspaceId}:${names.join('|')}`, async () => {
      const ids: string[] = [];
      for (const name of names) {
        const kb = await this.knowledge.repository.findKnowledgeBase(workspaceId, name);
        if (kb) ids.push(kb.id);
      }
      return ids;
    });
  }
}

/** Where a reply goes: the caller's conversation and the sink its events stream to. */
interface ReplyTarget {
  caller: Caller;
  conversationId: string;
  personaId: string;
  sink: ReplySink;
}

/** What a reply answers: the user turn, the persona version, how many user turns came before. */
interface ReplyAbout {
  personaVersion: number;
  userTurn: TurnRecord;
  priorUserTurns: number;
}

/** How long looked-up persona versions and knowledge-base ids are reused. */
const LOOKUP_CACHE_MS = 5000;

/** A live reply's writer beats this often; one silent for REPLY_LEASE_SECONDS is taken as gone. */
const HEARTBEAT_MS = 5000;

/** How often a streaming reply's text so far is saved. */
const PROGRESS_SAVE_MS = 1000;
