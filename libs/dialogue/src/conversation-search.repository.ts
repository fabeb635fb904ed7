import type { DataSource } from 'typeorm';
import { type ConversationRecord, takeoverOf, type TurnRecord, toTurn } from './conversation.repository';

export interface ConversationFilter {
  personaId?: string;
  visitorId?: string;
  channel?: string;
  status?: 'open' | 'closed';
  from?: string;
  to?: string;
  /** Turn text contains this (case-insensitive; % and _ are taken literally). */
  q?: string;
}

export interface ConversationSummary extends ConversationRecord {
  status: 'open' | 'closed';
  turns: number;
  /** When the newest turn was written (the conversation's creation when it has none). */
  lastTurnAt: string;
}

/**
 * Finds a workspace's conversations by persona, visitor, channel, status, start time and turn
 * text. Kept apart from ConversationRepository (the turn pipeline's writes) since it only reads.
 */
export class ConversationSearchRepository {
  constructor(private readonly db: DataSource) {}

  /** A page, newest first, and how many conversations match in all. */
  async search(
    workspaceId: string,
    filter: ConversationFilter & { limit: number; offset: number },
  ): Promise<{ total: number; items: ConversationSummary[] }> {
    const { where, params } = whereClause(workspaceId, filter);
    const [{ total }] = await this.db.query(
      `SELECT count(*)::int AS total FROM conversations c WHERE ${where}`,
      params,
    );
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT c.*, stats.turns, stats.last_turn_at FROM conversations c
       CROSS JOIN LATERAL (SELECT count(*)::int AS turns, max(t.created_at) AS last_turn_at
                           FROM turns t WHERE t.conversation_id = c.id) stats
       WHERE ${where} ORDER BY c.created_at DESC, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { total: Number(total), items: rows.map(toSummary) };
  }

  /** The turns of these conversations, by conversation id, in order. */
  async turns(conversationIds: string[]): Promise<Map<string, TurnRecord[]>> {
    const byConversation = new Map<string, TurnRecord[]>();
    if (conversationIds.length === 0) return byConversation;
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM turns WHERE conversation_id = ANY($1::uuid[]) ORDER BY conversation_id, seq`,
      [conversationIds],
    );
    for (const row of rows) {
      const id = String(row.conversation_id);
      byConversation.set(id, [...(byConversation.get(id) ?? []), toTurn(row)]);
    }
    return byConversation;
  }
}

function whereClause(workspaceId: string, filter: ConversationFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [workspaceId];
  const clauses = ['c.workspace_id = $1'];
  const add = (sql: (p: string) => string, value: unknown) => {
    if (value === undefined) return;
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  add((p) => `c.persona_slug = ${p}`, filter.personaId);
  add((p) => `c.visitor_id = ${p}`, filter.visitorId);
  add((p) => `c.channel = ${p}`, filter.channel);
  add((p) => `c.status = ${p}`, filter.status);
  add((p) => `c.created_at >= ${p}::timestamptz`, filter.from);
  add((p) => `c.created_at < ${p}::timestamptz`, filter.to);
  add(
    (p) => `EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = c.id AND t.text ILIKE ${p})`,
    filter.q === undefined ? undefined : `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  );
  return { where: clauses.join(' AND '), params };
}

function toSummary(r: Record<string, unknown>): ConversationSummary {
  const created = new Date(r.created_at as string).toISOString();
  return {
    id: String(r.id),
    workspaceId: String(r.workspace_id),
    personaId: String(r.persona_slug),
    personaVersion: Number(r.persona_version),
    visitorId: (r.visitor_id as string | null) ?? null,
    visitorName: (r.visitor_name as string | null) ?? null,
    channel: String(r.channel),
    status: r.status as 'open' | 'closed',
    createdAt: created,
    updatedAt: new Date(r.updated_at as string).toISOString(),
    turns: Number(r.turns),
    lastTurnAt: r.last_turn_at ? new Date(r.last_turn_at as string).toISOString() : created,
    takeover: takeoverOf(r),
  };
}
