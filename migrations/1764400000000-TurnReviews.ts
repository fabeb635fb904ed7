import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reviews of persona replies: a reviewer's thumb (up/down) and/or stars (1–5) and a note, one per
 * reply (a second review replaces the first). Plus an index for the conversation search's
 * filters; its text search (ILIKE over turns) has no index: it scans the workspace's turns.
 */
export class TurnReviews1764400000000 implements MigrationInterface {
  name = 'TurnReviews1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE turn_reviews (
        turn_id uuid PRIMARY KEY REFERENCES turns(id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        thumb text CHECK (thumb IN ('up', 'down')),
        stars smallint CHECK (stars BETWEEN 1 AND 5),
        note text NOT NULL DEFAULT '',
        reviewer_key_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX turn_reviews_conversation_idx ON turn_reviews (conversation_id)`);
    await db.query(
      `CREATE INDEX conversations_search_idx ON conversations (workspace_id, persona_slug, channel, status, created_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX conversations_search_idx`);
    await db.query(`DROP TABLE turn_reviews`);
  }
}
