import type { HandoffView } from '@zhibing/protocol';
import type { DataSource } from 'typeorm';

/** Reads the hand-off queue from the conversations' hand-off columns. */
export class HandoffsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Conversations of the workspace whose visitor asked for a person, still waits in the hand-off
   * phase (not after cancelling or the scenario moving on) and that no operator holds, oldest
   * request first (the one waiting longest on top).
   */
  async open(workspaceId: string): Promise<HandoffView[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      // A hand-off phase's data carries `requestedAt`: the current phase's data says whether the visitor still waits.
      `SELECT id, persona_slug, handoff_reason, handoff_requested_at FROM conversations
       WHERE workspace_id = $1 AND handoff_requested_at IS NOT NULL AND taken_over_at IS NULL
         AND scenario_state #>> ARRAY['phases', scenario_state ->> 'phase', 'requestedAt'] IS NOT NULL
       ORDER BY handoff_requested_at, id`,
      [workspaceId],
    );
    return rows.map((r) => ({
      conversationId: String(r.id),
      personaId: String(r.persona_slug),
      reason: String(r.handoff_reason ?? ''),
      at: new Date(r.handoff_requested_at as string).toISOString(),
    }));
  }
}
