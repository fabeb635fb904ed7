import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search columns for knowledge items: the triple spelled out (fast index loads and exports),
 * text segmented by the application (jieba; Postgres' parsers do not segment Chinese) with a
 * full-text index over it, and item embeddings — pgvector where the server has the extension
 * (embedded PGlite always does), otherwise a real[] column searched by exact scan.
 */
export class KnowledgeSearch1763900000000 implements MigrationInterface {
  name = 'KnowledgeSearch1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE knowledge_items ADD COLUMN head text, ADD COLUMN relation text, ADD COLUMN tail text, ADD COLUMN segmented text NOT NULL DEFAULT ''`,
    );
    await db.query(
      `ALTER TABLE knowledge_items ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', segmented)) STORED`,
    );
    await db.query(`CREATE INDEX knowledge_items_search_idx ON knowledge_items USING gin (search)`);
    await db.query(`CREATE INDEX knowledge_items_kb_head_idx ON knowledge_items (knowledge_base_id, head)`);
    const [{ available }] = await db.query(
      `SELECT count(*)::int > 0 AS available FROM pg_available_extensions WHERE name = 'vector'`,
    );
    if (available) await db.query(`CREATE EXTENSION IF NOT EXISTS vector`);
    await db.query(`
      CREATE TABLE knowledge_embeddings (
        item_id uuid NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
        embedder text NOT NULL,
        knowledge_base_id uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
        embedding ${available ? 'vector' : 'real[]'} NOT NULL,
        PRIMARY KEY (item_id, embedder)
      )`);
    await db.query(`CREATE INDEX knowledge_embeddings_kb_idx ON knowledge_embeddings (knowledge_base_id, embedder)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge_embeddings`);
    await db.query(`DROP INDEX knowledge_items_kb_head_idx`);
    await db.query(`DROP INDEX knowledge_items_search_idx`);
    await db.query(
      `ALTER TABLE knowledge_items DROP COLUMN search, DROP COLUMN segmented, DROP COLUMN tail, DROP COLUMN relation, DROP COLUMN head`,
    );
  }
}
