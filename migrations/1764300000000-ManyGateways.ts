import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several gateways over one database:
 * - outbox rows are claimed for a while (`claimed_until`) before they are applied, so two
 *   dispatchers never apply the same row; the index finds each aggregate's oldest pending row;
 * - `socket_io_attachments` holds the socket.io Postgres adapter's messages too big for NOTIFY.
 */
export class ManyGateways1764300000000 implements MigrationInterface {
  name = 'ManyGateways1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox ADD COLUMN claimed_until timestamptz`);
    await db.query(
      `CREATE INDEX outbox_pending_aggregate_idx ON outbox (target, aggregate_id, id) WHERE processed_at IS NULL`,
    );
    await db.query(`
      CREATE TABLE socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE socket_io_attachments`);
    await db.query(`DROP INDEX outbox_pending_aggregate_idx`);
    await db.query(`ALTER TABLE outbox DROP COLUMN claimed_until`);
  }
}
