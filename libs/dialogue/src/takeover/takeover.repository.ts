import type { TakeoverState } from '@zhibing/protocol';
import type { DataSource } from 'typeorm';
import { type TurnRecord, toTurn } from '../conversation.repository';
import { recallFromTrace } from '../recall';

/** Who an operator is: the admin key they act with and the name the visitor sees. */
export interface Operator {
  keyId: string;
  name: string;
}

const toState = (r: Record<string, unknown>): TakeoverState => ({
  conversationId: String(r.id),
  operatorKeyId: String(r.taken_over_by_key),
  operatorName: String(r.taken_over_name),
  since: new Date(r.taken_over_at as string).toISOString(),
});

/** The take-over columns of a conversation, and the turns operators write. Each change is one statement. */
export class TakeoverRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Takes the conversation over for `operator` unless another key holds it (the same key taking
   * it again keeps its start and may change its name), answering any request for a person the
   * scenario made. Null when someone else holds it.
   */
  async takeOver(conversationId: string, operator: Operator): Promise<TakeoverState | null> {
    const rows = await this.db.query(
      // A bare UPDATE answers [rows, count] through TypeORM's Postgres driver; a CTE answers rows on both stores.
      `WITH taken AS (UPDATE conversations SET taken_over_by_key = $2, taken_over_name = $3,
         taken_over_at = coalesce(taken_over_at, now()), handoff_requested_at = NULL, handoff_reason = NULL
       WHERE id = $1 AND (taken_over_by_key IS NULL OR taken_over_by_key = $2) RETURNING *) SELECT * FROM taken`,
      [conversationId, operator.keyId, operator.name],
    );
    return rows[0] ? toState(rows[0]) : null;
  }

  /** Hands the conversation back to the persona; false when it was not taken over. */
  async handBack(conversationId: string): Promise<boolean> {
    const rows = await this.db.query(
      `WITH handed AS (UPDATE conversations SET taken_over_by_key = NULL, taken_over_name = NULL, taken_over_at = NULL
       WHERE id = $1 AND taken_over_at IS NOT NULL RETURNING id) SELECT id FROM handed`,
      [conversationId],
    );
    return rows.length > 0;
  }

  /**
   * Stores an operator's message as a persona turn (history selection and knowledge selection read
   * it as the persona's words) answering the newest visitor turn, with the operator in its trace;
   * only while `operator` holds the take-over, once per clientMessageId. Null when they do not hold it.
   */
  async addOperatorTurn(
    conversationId: string,
    operator: Operator,
    clientMessageId: string,
    text: string,
  ): Promise<{ turn: TurnRecord; created: boolean } | null> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH numbered AS (
         UPDATE conversations c SET
           last_seq = coalesce(c.last_seq, (SELECT max(seq) FROM turns WHERE conversation_id = c.id), 0) + 1
         WHERE c.id = $1 AND c.taken_over_by_key = $3
           AND NOT EXISTS (SELECT 1 FROM turns WHERE conversation_id = $1 AND client_message_id = $2)
         RETURNING c.last_seq),
       written AS (
         INSERT INTO turns (conversation_id, seq, role, text, status, client_message_id, reply_to, trace, recall,
           completed_at)
         SELECT $1, last_seq, 'persona', $4, 'complete', $2,
           (SELECT id FROM turns WHERE conversation_id = $1 AND role = 'user' ORDER BY seq DESC LIMIT 1),
           $5::jsonb, $6::jsonb, now()
         FROM numbered
         ON CONFLICT (conversation_id, client_message_id) DO NOTHING RETURNING *)
       SELECT *, true AS created FROM written
       UNION ALL SELECT t.*, false FROM turns t
         WHERE t.conversation_id = $1 AND t.client_message_id = $2 AND t.role = 'persona'
           AND NOT EXISTS (SELECT 1 FROM written)`,
      [
        conversationId,
        // Operators' ids live beside visitors' in one unique index: the prefix keeps them apart.
        `operator:${clientMessageId}`,
        operator.keyId,
        text,
        JSON.stringify({ operator: { keyId: operator.keyId, name: operator.name } }),
        JSON.stringify(recallFromTrace(undefined)),
      ],
    );
    if (!rows[0]) return null;
    return { turn: toTurn(rows[0]), created: rows[0].created === true };
  }
}
