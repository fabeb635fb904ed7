import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: tenants and keys, personas (versioned), the knowledge base (items, entities,
 * relations), conversations and turns, and the transactional outbox that feeds Qdrant / Neo4j.
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE workspaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('root', 'admin', 'widget')),
        prefix text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        persona_ids text[] NOT NULL DEFAULT '{}',
        allowed_origins text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id)`);
    await db.query(`
      CREATE TABLE personas (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        slug text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        name text NOT NULL,
        definition jsonb NOT NULL,
        checksum text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        UNIQUE (workspace_id, slug, version)
      )`);
    await db.query(`
      CREATE TABLE knowledge_bases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, name)
      )`);
    await db.query(`
      CREATE TABLE entities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        knowledge_base_id uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
        name text NOT NULL,
        aliases text[] NOT NULL DEFAULT '{}',
        type text,
        description text,
        source text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (knowledge_base_id, name)
      )`);
    await db.query(`
      CREATE TABLE relations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        knowledge_base_id uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
        head_entity_id uuid NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
        relation text NOT NULL,
        tail_entity_id uuid REFERENCES entities(id) ON DELETE SET NULL,
        tail_literal text,
        source text,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (knowledge_base_id, content_hash)
      )`);
    await db.query(`CREATE INDEX relations_head_idx ON relations (head_entity_id)`);
    await db.query(`CREATE INDEX relations_tail_idx ON relations (tail_entity_id)`);
    await db.query(`
      CREATE TABLE knowledge_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        knowledge_base_id uuid NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('qa', 'description', 'fact')),
        question text,
        answer text,
        text text,
        entity_id uuid REFERENCES entities(id) ON DELETE SET NULL,
        relation_id uuid REFERENCES relations(id) ON DELETE CASCADE,
        source text,
        content_hash text NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (knowledge_base_id, content_hash)
      )`);
    await db.query(`CREATE INDEX knowledge_items_entity_idx ON knowledge_items (entity_id)`);
    await db.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        persona_slug text NOT NULL,
        persona_version integer NOT NULL,
        visitor_id text,
        channel text NOT NULL DEFAULT 'chat',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX conversations_workspace_idx ON conversations (workspace_id, created_at DESC)`);
    await db.query(`CREATE INDEX conversations_visitor_idx ON conversations (workspace_id, visitor_id)`);
    await db.query(`
      CREATE TABLE turns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        role text NOT NULL CHECK (role IN ('user', 'persona')),
        text text NOT NULL DEFAULT '',
        status text NOT NULL CHECK (status IN ('complete', 'streaming', 'interrupted', 'failed')),
        client_message_id text,
        reply_to uuid REFERENCES turns(id) ON DELETE SET NULL,
        trace jsonb,
        error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        UNIQUE (conversation_id, seq),
        UNIQUE (conversation_id, client_message_id)
      )`);
    await db.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        target text NOT NULL,
        topic text NOT NULL,
        aggregate_id text NOT NULL,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        available_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX outbox_pending_idx ON outbox (target, available_at) WHERE processed_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'outbox',
      'turns',
      'conversations',
      'knowledge_items',
      'relations',
      'entities',
      'knowledge_bases',
      'personas',
      'api_keys',
      'workspaces',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
