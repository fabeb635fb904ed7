import { type TurnView, ZhibingError } from '@zhibing/protocol';
import type { ScenarioState } from '@zhibing/scenario';
import type { DataSource } from 'typeorm';
import { encodeVector } from './exchange-vector';
import type { StoredExchange } from './history.repository';
import { recallFromTrace } from './recall';

export type TurnStatus = 'complete' | 'streaming' | 'interrupted' | 'failed';

export interface TurnRecord {
  id: string;
  seq: number;
  role: 'user' | 'persona';
  text: string;
  status: TurnStatus;
  clientMessageId: string | null;
  replyTo: string | null;
  trace: Record<string, unknown> | null;
  createdAt: string;
  completedAt: string | null;
}

export interface ConversationRecord {
  id: string;
  workspaceId: string;
  personaId: string;
  personaVersion: number;
  visitorId: string | null;
  /** What `{{user}}` becomes in this conversation (null: the persona's neutral word). */
  visitorName: string | null;
  channel: string;
  createdAt: string;
  updatedAt: string;
  /** Set while an operator has taken the conversation over: the persona does not reply. */
  takeover: { operatorKeyId: string; operatorName: string; since: string } | null;
  /** The persona's scenario, where it stands (null: a plain chat, or one started before scenarios). */
  scenario?: ScenarioState | null;
  /** The visitor asked for a person and no operator has taken over yet. */
  handoff?: { reason: string; at: string } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `turns` row as a TurnRecord. */
export const toTurn = (r: Record<string, unknown>): TurnRecord => ({
  id: String(r.id),
  seq: Number(r.seq),
  role: r.role as TurnRecord['role'],
  text: String(r.text),
  status: r.status as TurnStatus,
  clientMessageId: (r.client_message_id as string | null) ?? null,
  replyTo: (r.reply_to as string | null) ?? null,
  trace: (r.trace as Record<string, unknown> | null) ?? null,
  createdAt: new Date(r.created_at as string).toISOString(),
  completedAt: r.completed_at ? new Date(r.completed_at as string).toISOString() : null,
});

const toConversation = (r: Record<string, unknown>): ConversationRecord => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  personaId: String(r.persona_slug),
  personaVersion: Number(r.persona_version),
  visitorId: (r.visitor_id as string | null) ?? null,
  visitorName: (r.visitor_name as string | null) ?? null,
  channel: String(r.channel),
  createdAt: new Date(r.created_at as string).toISOString(),
  updatedAt: new Date(r.updated_at as string).toISOString(),
  takeover: takeoverOf(r),
  scenario: (r.scenario_state as ScenarioState | null) ?? null,
  handoff: r.handoff_requested_at
    ? { reason: String(r.handoff_reason ?? ''), at: new Date(r.handoff_requested_at as string).toISOString() }
    : null,
});

/** A conversation row's take-over columns, or null when no operator holds it. */
export const takeoverOf = (r: Record<string, unknown>): ConversationRecord['takeover'] =>
  r.taken_over_at
    ? {
        operatorKeyId: String(r.taken_over_by_key),
        operatorName: String(r.taken_over_name),
        since: new Date(r.taken_over_at as string).toISOString(),
      }
    : null;

/**
 * The conversation's row hands out the next `turns` sequence numbers (and counts `userTurns` more
 * user turns): updating it locks it, so concurrent turns of one conversation (back-to-back sends,
 * a reply opening, another gateway) take numbers one after another without reading earlier turns.
 * A conversation from before the counters has them computed here, once. With `userTurns`, nothing
 * is numbered when $2 is a clientMessageId already stored (a retried send).
 */
const NUMBERED = (turns: number, userTurns: number) => `numbered AS (
  UPDATE conversations c SET
    last_seq = coalesce(c.last_seq, (SELECT max(seq) FROM turns WHERE conversation_id = c.id), 0) + ${turns},
    user_turns = coalesce(c.user_turns,
      (SELECT count(*)::int FROM turns WHERE conversation_id = c.id AND role = 'user')) + ${userTurns}
  WHERE c.id = $1
    ${userTurns > 0 ? 'AND NOT EXISTS (SELECT 1 FROM turns WHERE conversation_id = $1 AND client_message_id = $2)' : ''}
  RETURNING c.last_seq, c.user_turns)`;

/** A stored message's row and how many user turns came before it (counted for turns from before user_index). */
const EXISTING_COLUMNS = `t.*, coalesce(t.user_index, (SELECT count(*)::int FROM turns p
  WHERE p.conversation_id = t.conversation_id AND p.role = 'user' AND p.seq < t.seq)) AS prior_user_turns`;

/** The message already stored under clientMessageId $2, when the statement's insert added none. */
const EXISTING_MESSAGE = `SELECT ${EXISTING_COLUMNS}, 'existing' FROM turns t
  WHERE t.conversation_id = $1 AND t.client_message_id = $2 AND NOT EXISTS (SELECT 1 FROM asked)`;

/** Conversations and their turns in Postgres. Turn sequence numbers are allocated in the database. */
export class ConversationRepository {
  constructor(private readonly db: DataSource) {}

  async create(input: {
    workspaceId: string;
    personaId: string;
    personaVersion: number;
    visitorId?: string;
    visitorName?: string;
    channel: string;
  }): Promise<ConversationRecord> {
    const rows = await this.db.query(
      `WITH created AS (INSERT INTO conversations (workspace_id, persona_slug, persona_version, visitor_id, channel,
         visitor_name) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *) SELECT * FROM created`,
      [
        input.workspaceId,
        input.personaId,
        input.personaVersion,
        input.visitorId ?? null,
        input.channel,
        input.visitorName ?? null,
      ],
    );
    return toConversation(rows[0]);
  }

  async get(workspaceId: string, id: string): Promise<ConversationRecord | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.db.query(`SELECT * FROM conversations WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      id,
    ]);
    return rows[0] ? toConversation(rows[0]) : null;
  }

  async require(workspaceId: string, id: string): Promise<ConversationRecord> {
    const found = await this.get(workspaceId, id);
    if (!found) throw new ZhibingError('conversation_not_found', `No conversation ${id}`);
    return found;
  }

  async list(
    workspaceId: string,
    filter: { personaId?: string; visitorId?: string; limit: number; offset: number },
  ): Promise<(ConversationRecord & { turns: number })[]> {
    const rows = await this.db.query(
      `SELECT c.*, (SELECT count(*)::int FROM turns t WHERE t.conversation_id = c.id) AS turns FROM conversations c
       WHERE workspace_id = $1 AND ($2::text IS NULL OR persona_slug = $2) AND ($3::text IS NULL OR visitor_id = $3)
       ORDER BY created_at DESC, id LIMIT $4 OFFSET $5`,
      [workspaceId, filter.personaId ?? null, filter.visitorId ?? null, filter.limit, filter.offset],
    );
    return rows.map((r: Record<string, unknown>) => ({ ...toConversation(r), turns: Number(r.turns) }));
  }

  /** Every turn with its trace (the admin view of a conversation). */
  async turns(conversationId: string): Promise<TurnRecord[]> {
    return (await this.db.query(`SELECT * FROM turns WHERE conversation_id = $1 ORDER BY seq`, [conversationId])).map(
      toTurn,
    );
  }

  /** Every turn as a resuming client sees it: no traces, no stored features. */
  async transcript(conversationId: string): Promise<TurnView[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT id, seq, role, text, status, created_at, trace->'operator'->>'name' AS operator
       FROM turns WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      seq: Number(r.seq),
      role: r.role as TurnView['role'],
      text: String(r.text),
      status: r.status as TurnStatus,
      createdAt: new Date(r.created_at as string).toISOString(),
      ...(r.operator ? { from: { kind: 'operator' as const, name: String(r.operator) } } : {}),
    }));
  }

  /**
   * A user's message and the persona's reply to it, opened streaming, in one statement; or, when
   * the clientMessageId was used before (a retried send), the stored message and no reply.
   * `priorUserTurns` counts the user turns before the message.
   */
  async addMessage(
    conversationId: string,
    clientMessageId: string,
    text: string,
  ): Promise<{ turn: TurnRecord; created: boolean; reply: TurnRecord | null; priorUserTurns: number }> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH ${NUMBERED(2, 1)},
       asked AS (
         INSERT INTO turns (conversation_id, seq, role, text, status, client_message_id, user_index)
         SELECT $1, last_seq - 1, 'user', $3, 'complete', $2, user_turns - 1 FROM numbered
         ON CONFLICT (conversation_id, client_message_id) DO NOTHING RETURNING *),
       opened AS (
         INSERT INTO turns (conversation_id, seq, role, text, status, reply_to)
         SELECT $1, seq + 1, 'persona', '', 'streaming', id FROM asked RETURNING *)
       SELECT *, user_index AS prior_user_turns, 'asked' AS part FROM asked
       UNION ALL SELECT *, NULL, 'opened' FROM opened
       UNION ALL ${EXISTING_MESSAGE}`,
      [conversationId, clientMessageId, text],
    );
    const part = (name: string) => rows.find((r) => r.part === name);
    const asked = part('asked');
    if (asked)
      return {
        turn: toTurn(asked),
        created: true,
        reply: toTurn(part('opened')!),
        priorUserTurns: Number(asked.prior_user_turns),
      };
    const existing = part('existing') ?? (await this.existingMessage(conversationId, clientMessageId));
    return { turn: toTurn(existing), created: false, reply: null, priorUserTurns: Number(existing.prior_user_turns) };
  }

  /**
   * Stores a user turn unless one with the same clientMessageId exists (a retried send);
   * returns the stored turn and whether it is new.
   */
  async addUserTurn(
    conversationId: string,
    clientMessageId: string,
    text: string,
  ): Promise<{ turn: TurnRecord; created: boolean }> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH ${NUMBERED(1, 1)},
       asked AS (
         INSERT INTO turns (conversation_id, seq, role, text, status, client_message_id, user_index)
         SELECT $1, last_seq, 'user', $3, 'complete', $2, user_turns - 1 FROM numbered
         ON CONFLICT (conversation_id, client_message_id) DO NOTHING RETURNING *)
       SELECT *, user_index AS prior_user_turns, 'asked' AS part FROM asked
       UNION ALL ${EXISTING_MESSAGE}`,
      [conversationId, clientMessageId, text],
    );
    const asked = rows.find((r) => r.part === 'asked');
    if (asked) return { turn: toTurn(asked), created: true };
    return { turn: toTurn(rows[0] ?? (await this.existingMessage(conversationId, clientMessageId))), created: false };
  }

  /** Opens the persona's reply to a user turn, streaming. */
  async openReply(conversationId: string, replyTo: string): Promise<TurnRecord> {
    const rows = await this.db.query(
      `WITH ${NUMBERED(1, 0)},
       opened AS (
         INSERT INTO turns (conversation_id, seq, role, text, status, reply_to)
         SELECT $1, last_seq, 'persona', '', 'streaming', $2 FROM numbered RETURNING *)
       SELECT * FROM opened`,
      [conversationId, replyTo],
    );
    if (!rows[0]) throw new ZhibingError('conversation_not_found', `No conversation ${conversationId}`);
    return toTurn(rows[0]);
  }

  /**
   * Opens a persona turn nobody's message asked for (a scenario's timer, the end button): it
   * answers the newest user turn, or none (reply_to null) before the first message.
   */
  async openUnpromptedReply(conversationId: string): Promise<TurnRecord> {
    const rows = await this.db.query(
      `WITH ${NUMBERED(1, 0)},
       opened AS (
         INSERT INTO turns (conversation_id, seq, role, text, status, reply_to)
         SELECT $1, last_seq, 'persona', '', 'streaming',
           (SELECT id FROM turns WHERE conversation_id = $1 AND role = 'user' ORDER BY seq DESC LIMIT 1)
         FROM numbered RETURNING *)
       SELECT * FROM opened`,
      [conversationId],
    );
    if (!rows[0]) throw new ZhibingError('conversation_not_found', `No conversation ${conversationId}`);
    return toTurn(rows[0]);
  }

  /**
   * The stored message with a clientMessageId, after an insert found it taken. Only a send racing
   * its own retry gets here: the insert's snapshot could not see the other's row.
   */
  private async existingMessage(conversationId: string, clientMessageId: string): Promise<Record<string, unknown>> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT ${EXISTING_COLUMNS} FROM turns t WHERE t.conversation_id = $1 AND t.client_message_id = $2`,
      [conversationId, clientMessageId],
    );
    if (!rows[0]) throw new ZhibingError('conversation_not_found', `No conversation ${conversationId}`);
    return rows[0];
  }

  /** Saves the text a reply has streamed so far, while it is still streaming (what a crash would keep). */
  async saveProgress(turnId: string, text: string): Promise<void> {
    await this.db.query(`UPDATE turns SET text = $2, heartbeat_at = now() WHERE id = $1 AND status = 'streaming'`, [
      turnId,
      text,
    ]);
  }

  /** Says the reply's writer is alive (while it waits for a slow engine, between deltas). */
  async heartbeat(turnId: string): Promise<void> {
    await this.db.query(`UPDATE turns SET heartbeat_at = now() WHERE id = $1 AND status = 'streaming'`, [turnId]);
  }

  /**
   * Closes a reply: its final (or partial) text, status and trace, with what later turns read
   * about it — its recall (from the trace) and the exchange it closes as history selection scores
   * it — and marks the conversation updated, in one statement.
   */
  async closeReply(
    turnId: string,
    update: {
      text: string;
      status: Exclude<TurnStatus, 'streaming'>;
      trace?: unknown;
      error?: unknown;
      exchange?: StoredExchange;
    },
  ): Promise<void> {
    const { exchange } = update;
    await this.db.query(
      `WITH closed AS (
         UPDATE turns SET text = $2, status = $3, trace = $4::jsonb, error = $5::jsonb, completed_at = now(),
           recall = $6::jsonb, exchange_embedding = $7, exchange_embedder = $8, exchange_tokens = $9,
           exchange_tokenizer = $10
         WHERE id = $1 RETURNING conversation_id)
       UPDATE conversations SET updated_at = now() WHERE id IN (SELECT conversation_id FROM closed)`,
      [
        turnId,
        update.text,
        update.status,
        update.trace === undefined ? null : JSON.stringify(update.trace),
        update.error === undefined ? null : JSON.stringify(update.error),
        JSON.stringify(recallFromTrace(update.trace)),
        exchange?.vector ? encodeVector(exchange.vector) : null,
        exchange?.vector ? exchange.embedder : null,
        exchange?.tokens ?? null,
        exchange?.tokens !== undefined ? exchange.tokenizer : null,
      ],
    );
  }

  /**
   * Replies whose writer is gone: still streaming, with no heartbeat (or, never touched, no start)
   * for `silentSeconds`. A live writer beats every few seconds, so replies another gateway is
   * writing are left alone.
   */
  async interruptAbandonedReplies(silentSeconds: number): Promise<number> {
    const rows = await this.db.query(
      `WITH abandoned AS (UPDATE turns SET status = 'interrupted', completed_at = now()
         WHERE status = 'streaming' AND coalesce(heartbeat_at, created_at) < now() - ($1 || ' seconds')::interval
         RETURNING 1)
       SELECT count(*)::int AS n FROM abandoned`,
      [String(silentSeconds)],
    );
    return rows[0].n;
  }

  /** One turn, with its trace. */
  async turn(turnId: string): Promise<TurnRecord | null> {
    if (!UUID.test(turnId)) return null;
    const rows = await this.db.query(`SELECT * FROM turns WHERE id = $1`, [turnId]);
    return rows[0] ? toTurn(rows[0]) : null;
  }

  /** The persona's reply to a user turn, if one was opened. */
  /** Whether no turn follows turn number `seq` in the conversation. */
  async isLastTurn(conversationId: string, seq: number): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM turns WHERE conversation_id = $1 AND seq > $2 LIMIT 1`, [
      conversationId,
      seq,
    ]);
    return rows.length === 0;
  }

  async replyTo(userTurnId: string): Promise<TurnRecord | null> {
    const rows = await this.db.query(
      `SELECT * FROM turns WHERE reply_to = $1 AND role = 'persona' ORDER BY seq DESC LIMIT 1`,
      [userTurnId],
    );
    return rows[0] ? toTurn(rows[0]) : null;
  }
}
