import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One avatar image per persona (shared by its versions), as bytea: Postgres stays the one system
 * of record, and avatars are small (2 MiB at most). sha256 is the ETag and the URL's version.
 */
export class PersonaAvatars1764500000000 implements MigrationInterface {
  name = 'PersonaAvatars1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE persona_avatars (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        slug text NOT NULL,
        media_type text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/webp')),
        bytes bytea NOT NULL,
        sha256 text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, slug)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE persona_avatars`);
  }
}
