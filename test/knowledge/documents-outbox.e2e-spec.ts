import { DocumentImportService, KnowledgeService } from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { testDatabases } from '../support/test-databases';

/** Item edits and document deletes reach the projections (Qdrant, Neo4j) through the outbox. */
describe.each(testDatabases())('edits and documents through the outbox on $name', (database) => {
  let db: DataSource;
  let service: KnowledgeService;
  let kbId: string;
  let workspaceId: string;

  beforeAll(async () => {
    db = await openDatabase(await database.create());
    workspaceId = await ensureWorkspace(db);
    service = new KnowledgeService(db, { projections: ['vectors'] });
    kbId = (await service.repository.ensureKnowledgeBase(workspaceId, 'projected')).kb.id;
  });
  afterAll(async () => {
    await service?.close();
    if (db) await closeDatabase(db);
    await database.drop();
  });

  const pending = async () => {
    const rows: { topic: string; payload: { itemIds: string[] } }[] = await db.query(
      `SELECT topic, payload FROM outbox WHERE target = 'vectors' AND processed_at IS NULL ORDER BY id`,
    );
    await db.query(`UPDATE outbox SET processed_at = now() WHERE target = 'vectors'`);
    return rows.map((r) => [r.topic, r.payload.itemIds]);
  };

  it('an edit queues the old id deleted and the new id upserted, in its transaction', async () => {
    const item = await service.addItem(kbId, { type: 'qa', question: 'q?', answer: 'a' });
    await pending();
    const edited = await service.replaceItem(kbId, item.id, { type: 'qa', question: 'q?', answer: 'b' });
    expect(await pending()).toEqual([
      ['knowledge.deleted', [item.id]],
      ['knowledge.upserted', [edited.id]],
    ]);
    // A refused edit (equal to another item) rolls back: nothing queued, the item unchanged.
    await service.addItem(kbId, { type: 'qa', question: 'q?', answer: 'c' });
    await pending();
    await expect(service.replaceItem(kbId, edited.id, { type: 'qa', question: 'q?', answer: 'c' })).rejects.toThrow(
      'identical',
    );
    expect(await pending()).toEqual([]);
    expect((await service.repository.getItem(kbId, edited.id))?.answer).toBe('b');
  });

  it("deleting a document queues all its passages' ids in one row", async () => {
    const documents = new DocumentImportService(db, service);
    const text = '# A\n\nFirst passage.\n\n# B\n\nSecond passage.';
    await documents.import(workspaceId, 'projected', { name: 'two.md', bytes: new TextEncoder().encode(text) });
    const [[topic, added]] = await pending();
    expect({ topic, count: added.length }).toEqual({ topic: 'knowledge.upserted', count: 2 });
    expect(await documents.delete(workspaceId, 'projected', 'two.md')).toEqual({ deleted: 2 });
    const queued = await pending();
    expect(queued).toHaveLength(1);
    expect(queued[0][0]).toBe('knowledge.deleted');
    expect([...queued[0][1]].sort()).toEqual([...added].sort());
  });
});
