import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The visitor's name, as session.start gave it: what `{{user}}` in the persona's texts becomes in
 * this conversation. On the conversation, so a resumed session (on any gateway) uses the same name.
 */
export class VisitorName1764900000000 implements MigrationInterface {
  name = 'VisitorName1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations ADD COLUMN visitor_name text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations DROP COLUMN visitor_name`);
  }
}
