import { createHash } from 'node:crypto';
import type { KnowledgeService } from '@zhibing/knowledge';
import type { PersonaRepository, StoredPersona } from '@zhibing/persona';
import type { Caller } from './caller';
import type { ConversationRepository, TurnRecord } from './conversation.repository';
import type { StoredExchange } from './history.repository';
import type { ReplySink } from './reply-sink.port';
import type { Responder } from './responder.port';
import { speechPieces } from './reply/speech-pieces';
import { type ScenarioTrace, scriptText } from './scenario/scripted-reply';
import { groundingTrace, round, storable } from './reply-trace';
import type { TurnHistory } from './turn-history';
import { TtlCache } from './ttl-cache';
import { chatPersonaKey } from './session-greeting';
import { knowledgeRef, prepareTurn } from './turn-pipeline';

/** Where a reply goes: the caller's conversation and the sink its events stream to. */
export interface ReplyTarget {
  caller: Caller;
  conversationId: string;
  personaId: string;
  sink: ReplySink;
}

/** What a reply answers: the user turn, the persona version, how many user turns came before. */
export interface ReplyAbout {
  personaVersion: number;
  /** What `{{user}}` becomes in the persona's texts (null: the neutral word). */
  visitorName?: string | null;
  userTurn: TurnRecord;
  priorUserTurns: number;
}

/**
 * Writes one knowledge-grounded reply: selects history and knowledge, streams the responder's
 * deltas to the sink (saving progress as it goes, beating its lease) and stores the reply with
 * its trace — or marks it interrupted / failed, never silently lost.
 */
export class ReplyWriter {
  /** A persona version never changes; archiving one reaches running conversations within the cache's time. */
  private readonly personaVersions: TtlCache<StoredPersona>;
  private readonly kbIds: TtlCache<string[]>;

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly knowledge: KnowledgeService,
    private readonly personas: PersonaRepository,
    private readonly responder: Responder,
    private readonly history: TurnHistory,
    private readonly options: { historyBudget?: number; lookupCacheMs?: number } = {},
  ) {
    this.personaVersions = new TtlCache(options.lookupCacheMs ?? LOOKUP_CACHE_MS);
    this.kbIds = new TtlCache(options.lookupCacheMs ?? LOOKUP_CACHE_MS);
  }

  /** A persona version as a visitor (by name) sees it (cached a few seconds). */
  persona(
    workspaceId: string,
    personaId: string,
    version: number,
    visitorName?: string | null,
  ): Promise<StoredPersona> {
    return this.personaVersions.get(chatPersonaKey(workspaceId, personaId, version, visitorName), () =>
      this.personas.requireForChat(workspaceId, personaId, version, visitorName ?? undefined),
    );
  }

  /** What history selection stores about an exchange (its vector and tokens), computed now. */
  exchangeOf(user: string, persona: string, degraded: (string | undefined)[]): Promise<StoredExchange> {
    return this.history.exchangeOf(user, persona, degraded);
  }

  async write(
    { caller, conversationId, personaId, sink }: ReplyTarget,
    { personaVersion, visitorName, userTurn, priorUserTurns }: ReplyAbout,
    reply: TurnRecord,
    controller: AbortController,
    /** A scenario's lines said after the answer, and what its trace records. */
    scenario?: { say: string[]; trace: ScenarioTrace },
  ): Promise<void> {
    const started = performance.now();
    sink.emit('reply.start', { conversationId, turnId: reply.id, replyTo: userTurn.id });
    const stored = await this.persona(caller.workspaceId, personaId, personaVersion, visitorName);
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
      // The scenario's lines follow a whole answer, in the same reply (never after a cut one).
      if (scenario?.say.length && finishReason === 'stop' && !controller.signal.aborted)
        for (const piece of speechPieces(`${text ? '\n' : ''}${scriptText(scenario.say)}`)) {
          text += piece;
          sink.emit('reply.delta', { conversationId, turnId: reply.id, seq: seq++, text: piece });
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
          ...(scenario ? { scenario: scenario.trace } : {}),
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

/** How long looked-up persona versions and knowledge-base ids are reused. */
const LOOKUP_CACHE_MS = 5000;

/** A live reply's writer beats this often; one silent for REPLY_LEASE_SECONDS is taken as gone. */
const HEARTBEAT_MS = 5000;

/** How often a streaming reply's text so far is saved. */
const PROGRESS_SAVE_MS = 1000;
