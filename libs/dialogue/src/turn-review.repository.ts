import { ZhibingError } from '@zhibing/protocol';
import type { DataSource } from 'typeorm';

export interface TurnReview {
  seq: number;
  thumb: 'up' | 'down' | null;
  stars: number | null;
  note: string;
  reviewerKeyId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewInput {
  thumb?: 'up' | 'down' | null;
  stars?: number | null;
  note: string;
}

/** Reviewers' verdicts on persona replies, one per reply; a new review of a reply replaces the old. */
export class TurnReviewRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Reviews the reply at `seq` of the conversation; throws turn_not_found when there is none and
   * review_invalid when it is the user's turn (only the persona's replies are reviewed).
   */
  async put(conversationId: string, seq: number, review: ReviewInput, reviewerKeyId: string): Promise<TurnReview> {
    const turns: { id: string; role: string }[] = await this.db.query(
      `SELECT id, role FROM turns WHERE conversation_id = $1 AND seq = $2`,
      [conversationId, seq],
    );
    if (turns.length === 0)
      throw new ZhibingError('turn_not_found', `No turn ${seq} in conversation ${conversationId}`);
    if (turns[0].role !== 'persona')
      throw new ZhibingError('review_invalid', `Turn ${seq} is the user's; only the persona's replies are reviewed`);
    const rows = await this.db.query(
      `WITH saved AS (
         INSERT INTO turn_reviews (turn_id, conversation_id, thumb, stars, note, reviewer_key_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (turn_id) DO UPDATE SET thumb = EXCLUDED.thumb, stars = EXCLUDED.stars, note = EXCLUDED.note,
           reviewer_key_id = EXCLUDED.reviewer_key_id, updated_at = now()
         RETURNING *)
       SELECT saved.*, $7::int AS seq FROM saved`,
      [turns[0].id, conversationId, review.thumb ?? null, review.stars ?? null, review.note, reviewerKeyId, seq],
    );
    return toReview(rows[0]);
  }

  /** Reviews of these conversations, by conversation id. */
  async forConversations(conversationIds: string[]): Promise<Map<string, TurnReview[]>> {
    const byConversation = new Map<string, TurnReview[]>();
    if (conversationIds.length === 0) return byConversation;
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT r.*, t.seq FROM turn_reviews r JOIN turns t ON t.id = r.turn_id
       WHERE r.conversation_id = ANY($1::uuid[]) ORDER BY t.seq`,
      [conversationIds],
    );
    for (const row of rows) {
      const id = String(row.conversation_id);
      byConversation.set(id, [...(byConversation.get(id) ?? []), toReview(row)]);
    }
    return byConversation;
  }
}

function toReview(r: Record<string, unknown>): TurnReview {
  return {
    seq: Number(r.seq),
    thumb: (r.thumb as 'up' | 'down' | null) ?? null,
    stars: r.stars === null || r.stars === undefined ? null : Number(r.stars),
    note: String(r.note ?? ''),
    reviewerKeyId: (r.reviewer_key_id as string | null) ?? null,
    createdAt: new Date(r.created_at as string).toISOString(),
    updatedAt: new Date(r.updated_at as string).toISOString(),
  };
}
