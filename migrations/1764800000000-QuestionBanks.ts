import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Interview question banks, one per workspace and role (`backend-engineer`), edited over REST or
 * imported from YAML/JSON. A stored bank wins over the one a persona's flow ships with. The
 * questions (text, criteria, follow-ups) are one jsonb document: they are always read and written
 * whole, and validated by questionBankSchema on the way in.
 */
export class QuestionBanks1764800000000 implements MigrationInterface {
  name = 'QuestionBanks1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE question_banks (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        role text NOT NULL,
        title text NOT NULL,
        questions jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, role)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE question_banks`);
  }
}
