import type { ScenarioState } from '@zhibing/scenario';
import type { DataSource } from 'typeorm';

/** What a step stores beside the state: records it made and a request for a person. */
export interface StepWrites {
  records: { kind: string; data: Record<string, string> }[];
  handoff?: { reason: string };
  /** The turn the step answered (records point at it). */
  turnId?: string;
}

/** A conversation whose timer is due, claimed by one poller. */
export interface DueTimer {
  conversationId: string;
  workspaceId: string;
}

/**
 * The scenario columns of `conversations` and the `scenario_records` table. Every write checks
 * the version it read (optimistic): two gateways stepping one conversation cannot both win.
 */
export class ScenarioStateRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Stores `state` if the stored one still has version `expected` (null: none stored yet), with
   * its timer, its records and a hand-off request, in one statement (so all or nothing). A request
   * made again while one waits keeps its first time (its place in the operators' queue).
   * False when someone else changed it first: the caller reads it again and steps again.
   */
  async save(conversationId: string, expected: number | null, state: ScenarioState, writes: StepWrites) {
    const rows: { saved: number; requested: string | null }[] = await this.db.query(
      `WITH saved AS (
         UPDATE conversations SET scenario_state = $2::jsonb, scenario_due_at = $3::timestamptz,
           handoff_requested_at = CASE WHEN $5::text IS NULL THEN handoff_requested_at
             ELSE coalesce(handoff_requested_at, now()) END,
           handoff_reason = coalesce($5::text, handoff_reason)
         WHERE id = $1 AND coalesce((scenario_state->>'version')::int, -1) = $4
         RETURNING id, workspace_id, persona_slug, handoff_requested_at),
       recorded AS (
         INSERT INTO scenario_records (workspace_id, conversation_id, persona_slug, kind, data, turn_id)
         SELECT s.workspace_id, s.id, s.persona_slug, r.kind, r.data, $7::uuid
         FROM saved s, jsonb_to_recordset($6::jsonb) AS r(kind text, data jsonb)
         RETURNING id)
       SELECT (SELECT count(*)::int FROM saved) AS saved, (SELECT count(*) FROM recorded) AS records,
         (SELECT handoff_requested_at FROM saved) AS requested`,
      [
        conversationId,
        JSON.stringify(state),
        state.ended ? null : (state.dueAt ?? null),
        expected ?? -1,
        writes.handoff?.reason ?? null,
        JSON.stringify(writes.records),
        writes.turnId ?? null,
      ],
    );
    const row = rows[0];
    return {
      saved: Number(row.saved) === 1,
      handoffAt: row.requested ? new Date(row.requested).toISOString() : undefined,
    };
  }

  /** Whether any timer is due: the pollers' idle check, a read (it writes nothing until one is). */
  async anyDue(): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM conversations WHERE scenario_due_at <= now() AND taken_over_at IS NULL LIMIT 1`,
    );
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` conversations whose timer is due and that no operator holds, pushing
   * their due time out by `leaseMs` so no other poller takes them meanwhile (`FOR UPDATE SKIP
   * LOCKED` keeps two pollers off the same rows). A lease rather than a transaction held across
   * the step: stepping reads the persona and may stream a reply, and on embedded PGlite an open
   * transaction would block every other query. A claimer that dies lets the lease run out: the
   * timer fires on the next poll anywhere. Firing twice is harmless: the step of an already
   * moved state is refused by the version check or sees a timer not yet due.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DueTimer[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH due AS (
         SELECT id FROM conversations
         WHERE scenario_due_at IS NOT NULL AND scenario_due_at <= now() AND taken_over_at IS NULL
         ORDER BY scenario_due_at LIMIT $1
         FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE conversations c SET scenario_due_at = now() + ($2 || ' milliseconds')::interval
         FROM due WHERE c.id = due.id RETURNING c.id, c.workspace_id)
       SELECT id, workspace_id FROM claimed`,
      [limit, String(leaseMs)],
    );
    return rows.map((r) => ({ conversationId: String(r.id), workspaceId: String(r.workspace_id) }));
  }

  /**
   * Sets the conversation's due time back from its stored state (after a claimed timer was
   * handled: a timer that was not yet due by this process's clock fires on a later poll).
   */
  async syncDue(conversationId: string): Promise<void> {
    await this.db.query(
      `WITH synced AS (UPDATE conversations SET scenario_due_at =
         CASE WHEN (scenario_state->>'ended')::boolean THEN NULL ELSE (scenario_state->>'dueAt')::timestamptz END
       WHERE id = $1 RETURNING id) SELECT id FROM synced`,
      [conversationId],
    );
  }

  /** Drops a conversation's timer (its persona is gone: the scenario cannot move any more). */
  async clearDue(conversationId: string): Promise<void> {
    await this.db.query(
      `WITH cleared AS (UPDATE conversations SET scenario_due_at = NULL WHERE id = $1 RETURNING id)
       SELECT id FROM cleared`,
      [conversationId],
    );
  }

  /** Clears a request for a person (an operator took the conversation over). */
  async clearHandoff(conversationId: string): Promise<void> {
    await this.db.query(
      `WITH cleared AS (UPDATE conversations SET handoff_requested_at = NULL, handoff_reason = NULL
       WHERE id = $1 RETURNING id) SELECT id FROM cleared`,
      [conversationId],
    );
  }
}
