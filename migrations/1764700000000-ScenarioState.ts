import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scenarios: a conversation's scenario state (`scenario_state`, versioned JSON written with an
 * optimistic check) and when its phase's timer fires (`scenario_due_at`, claimed by the gateways'
 * timer pollers); a visitor's request for a person (`handoff_requested_at`, `handoff_reason`,
 * cleared by a take-over); and what scenarios store (a registration) in `scenario_records`.
 */
export class ScenarioState1764700000000 implements MigrationInterface {
  name = 'ScenarioState1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversations
      ADD COLUMN scenario_state jsonb,
      ADD COLUMN scenario_due_at timestamptz,
      ADD COLUMN handoff_requested_at timestamptz,
      ADD COLUMN handoff_reason text`);
    // The pollers' query: due timers, soonest first; only conversations with one are indexed.
    await db.query(`CREATE INDEX conversations_scenario_due_idx ON conversations (scenario_due_at)
      WHERE scenario_due_at IS NOT NULL`);
    await db.query(`CREATE INDEX conversations_handoff_idx ON conversations (workspace_id, handoff_requested_at)
      WHERE handoff_requested_at IS NOT NULL`);
    await db.query(`CREATE TABLE scenario_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        persona_slug text NOT NULL,
        kind text NOT NULL,
        data jsonb NOT NULL,
        turn_id uuid REFERENCES turns(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX scenario_records_kind_idx ON scenario_records (workspace_id, kind, created_at DESC)`);
    await db.query(`CREATE INDEX scenario_records_conversation_idx ON scenario_records (conversation_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE scenario_records`);
    await db.query(`DROP INDEX conversations_handoff_idx`);
    await db.query(`DROP INDEX conversations_scenario_due_idx`);
    await db.query(`ALTER TABLE conversations
      DROP COLUMN handoff_reason, DROP COLUMN handoff_requested_at, DROP COLUMN scenario_due_at,
      DROP COLUMN scenario_state`);
  }
}
