import {
  KnowledgeService,
  OutboxDispatcher,
  type OutboxRow,
  type Projection,
  QdrantVectorAdapter,
} from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { testDatabases } from '../support/test-databases';

/** A projection whose store is down for its first `outage` calls, then applies and records. */
class FlakyProjection implements Projection {
  readonly target = 'flaky';
  calls = 0;
  readonly applied: string[] = [];

  constructor(private outage: number) {}

  async apply(message: OutboxRow): Promise<void> {
    this.calls++;
    if (this.outage-- > 0) throw new Error('projection store unreachable');
    this.applied.push(...(message.payload as { itemIds: string[] }).itemIds);
  }
}

describe.each(testDatabases())('outbox on $name', (database) => {
  let db: DataSource;
  let workspaceId: string;

  beforeAll(async () => {
    db = await openDatabase(await database.create());
    workspaceId = await ensureWorkspace(db);
  });
  afterAll(async () => {
    if (db) await closeDatabase(db);
    await database.drop();
  });

  it('writes outbox rows in the same transaction as the knowledge', async () => {
    const service = new KnowledgeService(db, { projections: ['flaky'] });
    const report = await service.importFile(
      workspaceId,
      'outboxed',
      'qa',
      '{"question":"a?","answer":"1"}\n{"question":"b?","answer":"2"}',
    );
    const rows = await db.query(`SELECT payload FROM outbox WHERE target = 'flaky' AND processed_at IS NULL`);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload.itemIds).toHaveLength(report.inserted);
  });

  it('retries a failed projection with backoff until it applies, losing nothing', async () => {
    const projection = new FlakyProjection(2);
    const dispatcher = new OutboxDispatcher(db, projection, { baseDelayMs: 1, maxDelayMs: 5 });
    expect(await dispatcher.pending()).toBe(1);

    expect(await dispatcher.drain()).toEqual({ applied: 0, failed: 1 });
    const [failed] = await db.query(`SELECT attempts, last_error, processed_at FROM outbox WHERE target = 'flaky'`);
    expect(failed).toMatchObject({ attempts: 1, last_error: 'projection store unreachable', processed_at: null });

    await new Promise((r) => setTimeout(r, 20));
    expect(await dispatcher.drain()).toEqual({ applied: 0, failed: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect(await dispatcher.drain()).toEqual({ applied: 1, failed: 0 });

    expect(projection.calls).toBe(3);
    const items = await db.query(
      `SELECT i.id FROM knowledge_items i JOIN knowledge_bases kb ON kb.id = i.knowledge_base_id WHERE kb.name = 'outboxed'`,
    );
    expect(projection.applied.sort()).toEqual(items.map((i: { id: string }) => i.id).sort());
    expect(await dispatcher.pending()).toBe(0);
  });

  it('a rolled-back write leaves no outbox row behind', async () => {
    const before = await db.query(`SELECT count(*)::int AS n FROM outbox`);
    await expect(
      db.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO outbox (target, topic, aggregate_id, payload) VALUES ('flaky', 't', 'x', '{}')`,
        );
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await db.query(`SELECT count(*)::int AS n FROM outbox`)).toEqual(before);
  });

  it('selection falls back to Postgres and says so when Qdrant is unreachable', async () => {
    // A real Qdrant client against a port where nothing listens: the outage is real, not simulated.
    const unreachable = new QdrantVectorAdapter({ url: 'http://127.0.0.1:9', timeoutMs: 500 });
    const service = new KnowledgeService(db, { vectorIndex: unreachable });
    const kb = await service.requireKnowledgeBase(workspaceId, 'outboxed');
    const selection = await service.select(kb.id, ['a?'], 2);
    expect(selection.degraded).toMatch(/^qdrant unreachable/);
    expect(selection.items[0].item).toMatchObject({ question: 'a?' });
  });
});
