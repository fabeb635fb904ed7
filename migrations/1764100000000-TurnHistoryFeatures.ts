import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What later turns read about a turn, stored when it is written, so a turn's cost does not grow
 * with the conversation: the conversation counts its turns (a turn takes its number from the
 * conversation's row, no scan of earlier turns), a user turn knows how many came before it, and a
 * persona reply keeps the exchange it closes as history selection scores it — emb([U;S]) with the
 * embedder that made it, and its token count with the tokenizer that counted it — plus `recall`,
 * the knowledge it rested on (grounded item ids, the QA items re-injected before it), so no trace
 * is read on the hot path. Nothing is backfilled: rows written before this migration have NULLs,
 * filled in the first time a turn needs them.
 */
export class TurnHistoryFeatures1764100000000 implements MigrationInterface {
  name = 'TurnHistoryFeatures1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations ADD COLUMN last_seq integer, ADD COLUMN user_turns integer`);
    await db.query(
      `ALTER TABLE turns ADD COLUMN user_index integer, ADD COLUMN recall jsonb,
         ADD COLUMN exchange_embedding bytea, ADD COLUMN exchange_embedder text,
         ADD COLUMN exchange_tokens integer, ADD COLUMN exchange_tokenizer text`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE turns DROP COLUMN exchange_tokenizer, DROP COLUMN exchange_tokens, DROP COLUMN exchange_embedder,
         DROP COLUMN exchange_embedding, DROP COLUMN recall, DROP COLUMN user_index`,
    );
    await db.query(`ALTER TABLE conversations DROP COLUMN user_turns, DROP COLUMN last_seq`);
  }
}
