import { ZhibingError } from '@zhibing/protocol';
import type { DataSource } from 'typeorm';

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
  channel: string;
  createdAt: string;
  updatedAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toTurn = (r: Record<string, unknown>): TurnRecord => ({
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
  channel: String(r.channel),
  createdAt: new Date(r.created_at as string).toISOString(),
  updatedAt: new Date(r.updated_at as string).toISOString(),
});

/** Conversations and their turns in Postgres. Turn sequence numbers are allocated in the database. */
export class ConversationRepository {
  constructor(private readonly db: DataSource) {}

  async create(input: {
    workspaceId: string;
    personaId: string;
    personaVersion: number;
    visitorId?: string;
    channel: string;
  }): Promise<ConversationRecord> {
    const rows = await this.db.query(
      `WITH created AS (INSERT INTO conversations (workspace_id, persona_slug, persona_version, visitor_id, channel) VALUES ($1, $2, $3, $4, $5) RETURNING *) SELECT * FROM created`,
      [input.workspaceId, input.personaId, input.personaVersion, input.visitorId ?? null, input.channel],
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

  async turns(conversationId: string): Promise<TurnRecord[]> {
    return (await this.db.query(`SELECT * FROM turns WHERE conversation_id = $1 ORDER BY seq`, [conversationId])).map(
      toTurn,
    );
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
    const inserted = await this.insertTurn(conversationId, {
      role: 'user',
      text,
      status: 'complete',
      clientMessageId,
      replyTo: null,
    });
    if (inserted) return { turn: inserted, created: true };
    const rows = await this.db.query(`SELECT * FROM turns WHERE conversation_id = $1 AND client_message_id = $2`, [
      conversationId,
      clientMessageId,
    ]);
    return { turn: toTurn(rows[0]), created: false };
  }

  /** Opens the persona's reply to a user turn, streaming. */
  async openReply(conversationId: string, replyTo: string): Promise<TurnRecord> {
    return (await this.insertTurn(conversationId, {
      role: 'persona',
      text: '',
      status: 'streaming',
      clientMessageId: null,
      replyTo,
    }))!;
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

  /** Closes a reply: its final (or partial) text, status and trace. */
  async closeReply(
    turnId: string,
    update: { text: string; status: Exclude<TurnStatus, 'streaming'>; trace?: unknown; error?: unknown },
  ): Promise<void> {
    await this.db.query(
      `UPDATE turns SET text = $2, status = $3, trace = $4::jsonb, error = $5::jsonb, completed_at = now() WHERE id = $1`,
      [
        turnId,
        update.text,
        update.status,
        update.trace === undefined ? null : JSON.stringify(update.trace),
        update.error === undefined ? null : JSON.stringify(update.error),
      ],
    );
    await this.db.query(
      `UPDATE conversations SET updated_at = now() WHERE id = (SELECT conversation_id FROM turns WHERE id = $1)`,
      [turnId],
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

  /**
   * Inserts a turn with the next sequence number; null when its clientMessageId already exists.
   * The conversation's row is locked for the insert, so concurrent turns of one conversation (a
   * user sending back-to-back, a reply opening, another gateway) take numbers one after another
   * instead of colliding.
   */
  private async insertTurn(
    conversationId: string,
    turn: { role: string; text: string; status: TurnStatus; clientMessageId: string | null; replyTo: string | null },
  ): Promise<TurnRecord | null> {
    return this.db.transaction(async (manager) => {
      const locked = await manager.query(`SELECT id FROM conversations WHERE id = $1 FOR UPDATE`, [conversationId]);
      if (locked.length === 0) throw new ZhibingError('conversation_not_found', `No conversation ${conversationId}`);
      const rows = await manager.query(
        `WITH added AS (
           INSERT INTO turns (conversation_id, seq, role, text, status, client_message_id, reply_to)
           SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6 FROM turns WHERE conversation_id = $1
           ON CONFLICT (conversation_id, client_message_id) DO NOTHING RETURNING *)
         SELECT * FROM added`,
        [conversationId, turn.role, turn.text, turn.status, turn.clientMessageId, turn.replyTo],
      );
      return rows[0] ? toTurn(rows[0]) : null;
    });
  }

  /** The persona's reply to a user turn, if one was opened. */
  async replyTo(userTurnId: string): Promise<TurnRecord | null> {
    const rows = await this.db.query(
      `SELECT * FROM turns WHERE reply_to = $1 AND role = 'persona' ORDER BY seq DESC LIMIT 1`,
      [userTurnId],
    );
    return rows[0] ? toTurn(rows[0]) : null;
  }
}
