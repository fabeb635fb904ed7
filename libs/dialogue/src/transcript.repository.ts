import type { DataSource } from 'typeorm';

/** Finds the stored conversation a client-held transcript continues. */
export class TranscriptRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The conversation whose newest user turn carries `clientMessageId` and whose complete reply to
   * it is `replyText`: the transcript so far is exactly what was stored, so the next message
   * continues it. A conversation that went on from there (a regenerated or edited branch) is not.
   */
  async findContinuation(args: {
    workspaceId: string;
    personaId: string;
    channel: string;
    clientMessageId: string;
    replyText: string;
  }): Promise<string | null> {
    const rows = await this.db.query(
      `SELECT u.conversation_id FROM turns u
       JOIN conversations c ON c.id = u.conversation_id
       WHERE c.workspace_id = $1 AND c.persona_slug = $2 AND c.channel = $3 AND u.client_message_id = $4
         AND EXISTS (SELECT 1 FROM turns r WHERE r.reply_to = u.id AND r.status = 'complete' AND r.text = $5)
         AND NOT EXISTS (SELECT 1 FROM turns later WHERE later.conversation_id = u.conversation_id
                         AND later.role = 'user' AND later.seq > u.seq)
       ORDER BY c.updated_at DESC LIMIT 1`,
      [args.workspaceId, args.personaId, args.channel, args.clientMessageId, args.replyText],
    );
    return rows[0] ? String(rows[0].conversation_id) : null;
  }
}
