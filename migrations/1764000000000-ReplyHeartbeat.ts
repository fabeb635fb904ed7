import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A streaming reply's heartbeat: the process writing it touches `heartbeat_at` while it streams,
 * so a starting (or sweeping) process interrupts only replies whose writer is gone, not those
 * another live gateway is still writing.
 */
export class ReplyHeartbeat1764000000000 implements MigrationInterface {
  name = 'ReplyHeartbeat1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE turns ADD COLUMN heartbeat_at timestamptz`);
    await db.query(`CREATE INDEX turns_streaming_idx ON turns (heartbeat_at) WHERE status = 'streaming'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX turns_streaming_idx`);
    await db.query(`ALTER TABLE turns DROP COLUMN heartbeat_at`);
  }
}
