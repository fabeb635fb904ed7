import { closeDatabase, migrationStatus, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { testDatabases } from '../support/test-databases';

const userTables = async (db: DataSource): Promise<string[]> =>
  (
    await db.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
    )
  ).map((row: { tablename: string }) => row.tablename);

describe.each(testDatabases())('migrations on $name', (database) => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openDatabase(await database.create(), { migrate: false });
  });
  afterAll(async () => {
    if (db) await closeDatabase(db);
    await database.drop();
  });

  it('every migration goes up, down and up again', async () => {
    expect(await userTables(db)).toEqual([]);
    expect((await migrationStatus(db)).pending).toHaveLength(migrations.length);

    await db.runMigrations({ transaction: 'each' });
    const afterUp = await userTables(db);
    expect(afterUp).toEqual(
      expect.arrayContaining([
        'workspaces',
        'api_keys',
        'personas',
        'knowledge_bases',
        'knowledge_items',
        'entities',
        'relations',
        'conversations',
        'turns',
        'outbox',
      ]),
    );
    expect(await migrationStatus(db)).toEqual({ applied: migrations.map((m) => m.name), pending: [] });

    for (let i = migrations.length - 1; i >= 0; i--) {
      await db.undoLastMigration({ transaction: 'each' });
      expect((await migrationStatus(db)).applied).toHaveLength(i);
    }
    expect(await userTables(db)).toEqual([]);

    await db.runMigrations({ transaction: 'each' });
    expect(await userTables(db)).toEqual(afterUp);
  });
});
