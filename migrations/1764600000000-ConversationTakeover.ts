import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operator take-over: while `taken_over_at` is set, a person (the admin key `taken_over_by_key`,
 * calling themself `taken_over_name`) answers the visitor and the persona does not. Columns on
 * the conversation, so every gateway (and a restarted one) reads the same state.
 */
export class ConversationTakeover1764600000000 implements MigrationInterface {
  name = 'ConversationTakeover1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations
      ADD COLUMN taken_over_by_key text,
      ADD COLUMN taken_over_name text,
      ADD COLUMN taken_over_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations
      DROP COLUMN taken_over_at, DROP COLUMN taken_over_name, DROP COLUMN taken_over_by_key`);
  }
}
