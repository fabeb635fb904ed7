import { KnowledgeService } from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { testDatabases } from '../support/test-databases';

const TRIPLES = [
  { head: '故宫', relation: 'Information', tail: '故宫又称紫禁城，是明、清两代的皇宫。' },
  { head: '故宫', relation: '门票', tail: '旺季60元，淡季40元。' },
  { head: '故宫', relation: '地址', tail: '北京市东城区景山前街4号' },
  { head: '故宫', relation: '周边景点', tail: '天坛' },
  { head: '天坛', relation: '门票', tail: '旺季15元' },
]
  .map((t) => JSON.stringify(t))
  .join('\n');

describe.each(testDatabases())('knowledge store on $name', (database) => {
  let db: DataSource;
  let service: KnowledgeService;
  let workspaceId: string;

  beforeAll(async () => {
    db = await openDatabase(await database.create());
    service = new KnowledgeService(db);
    workspaceId = await ensureWorkspace(db);
  });
  afterAll(async () => {
    if (db) await closeDatabase(db);
    await database.drop();
  });

  const count = async (table: string) => Number((await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  it('imports triples into items, entities and graph edges, creating the knowledge base', async () => {
    const report = await service.importFile(workspaceId, 'travel', 'triples', TRIPLES);
    expect(report).toMatchObject({
      knowledgeBase: { name: 'travel', created: true },
      lines: 5,
      inserted: 5,
      unchanged: 0,
      rejected: [],
    });
    expect(await count('knowledge_items')).toBe(5);
    expect(await count('relations')).toBe(4);
    const edge = await db.query(
      `SELECT t.name FROM relations r JOIN entities t ON t.id = r.tail_entity_id WHERE r.relation = '周边景点'`,
    );
    expect(edge).toEqual([{ name: '天坛' }]);
  });

  it('an edge whose tail becomes an entity in a later write points at it', async () => {
    const line = (head: string, relation: string, tail: string) => JSON.stringify({ head, relation, tail });
    await service.importFile(workspaceId, 'later', 'triples', line('颐和园', '周边景点', '圆明园'));
    const tail = () =>
      db.query(
        `SELECT t.name FROM relations r JOIN knowledge_bases kb ON kb.id = r.knowledge_base_id
         LEFT JOIN entities t ON t.id = r.tail_entity_id WHERE kb.name = 'later' AND r.relation = '周边景点'`,
      );
    expect(await tail()).toEqual([{ name: null }]);
    await service.importFile(workspaceId, 'later', 'triples', line('圆明园', '门票', '25元'));
    expect(await tail()).toEqual([{ name: '圆明园' }]);
  });

  it('an import with nothing valid, or one that fails, leaves no new base behind', async () => {
    const bases = await count('knowledge_bases');
    await expect(service.importFile(workspaceId, 'all-bad', 'qa', 'not json\n{"question":""}\n')).rejects.toMatchObject(
      {
        code: 'import_invalid',
        message: 'Nothing to import: 2 lines, none valid',
      },
    );
    // A write that fails inside its transaction (here the progress callback throws, as a client gone
    // mid-import would): nothing of it stays, the base it created included.
    const failing = () => {
      throw new Error('client gone');
    };
    await expect(service.importFile(workspaceId, 'fails', 'triples', TRIPLES, failing)).rejects.toThrow('client gone');
    expect(await service.repository.findKnowledgeBase(workspaceId, 'fails')).toBeNull();
    expect(await count('knowledge_bases')).toBe(bases);
  });

  it('is idempotent: importing the same file again changes nothing', async () => {
    const before = await db.query(`SELECT id, updated_at FROM knowledge_items ORDER BY id`);
    const report = await service.importFile(workspaceId, 'travel', 'triples', TRIPLES);
    expect(report).toMatchObject({ knowledgeBase: { created: false }, inserted: 0, unchanged: 5 });
    expect(await db.query(`SELECT id, updated_at FROM knowledge_items ORDER BY id`)).toEqual(before);
  });

  it('rejects bad lines with reasons and stores only the good ones', async () => {
    const report = await service.importFile(
      workspaceId,
      'faq',
      'qa',
      '{"question":"几点开门？","answer":"8:30"}\n{"question":"缺答案"}\n{oops',
    );
    expect(report.inserted).toBe(1);
    expect(report.rejected).toEqual([
      { line: 2, reason: expect.stringContaining('answer') },
      { line: 3, reason: 'not valid JSON' },
    ]);
    const kb = await service.requireKnowledgeBase(workspaceId, 'faq');
    expect(await service.repository.listItems(kb.id, { limit: 10, offset: 0 })).toEqual([
      expect.objectContaining({ kind: 'qa', question: '几点开门？', answer: '8:30' }),
    ]);
  });

  it('selects from the stored knowledge; no full-text column or GIN index is written (selection keeps BM25 in memory)', async () => {
    const kb = await service.requireKnowledgeBase(workspaceId, 'travel');
    const { items, degraded } = await service.select(kb.id, ['故宫的门票多少钱？'], 3);
    expect(degraded).toBeUndefined();
    expect(items[0].item).toMatchObject({ head: '故宫', relation: '门票', tail: '旺季60元，淡季40元。' });
    const columns = await db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'knowledge_items' AND column_name IN ('search', 'segmented')`,
    );
    expect(columns).toEqual([]);
    expect(await db.query(`SELECT indexname FROM pg_indexes WHERE indexname = 'knowledge_items_search_idx'`)).toEqual(
      [],
    );
  });

  it('exports to the import format, and the export re-imports to the same knowledge', async () => {
    const kb = await service.requireKnowledgeBase(workspaceId, 'travel');
    const lines: string[] = [];
    for await (const line of service.exportLines(kb.id, 'triples')) lines.push(line);
    expect(lines.map((l) => JSON.parse(l))).toEqual(
      expect.arrayContaining(TRIPLES.split('\n').map((l) => JSON.parse(l))),
    );
    const again = await service.importFile(workspaceId, 'travel-copy', 'triples', lines.join('\n'));
    expect(again).toMatchObject({ inserted: 5, rejected: [] });
  });

  it('deleting an item removes it from selection at once and from the graph', async () => {
    const kb = await service.requireKnowledgeBase(workspaceId, 'travel');
    const ticket = (await service.select(kb.id, ['故宫的门票多少钱？'], 1)).items[0].item;
    await service.deleteItem(kb.id, ticket.id);
    const after = (await service.select(kb.id, ['故宫的门票多少钱？'], 5)).items.map((r) => r.item.id);
    expect(after).not.toContain(ticket.id);
    expect(
      await db.query(
        `SELECT 1 FROM relations WHERE knowledge_base_id = $1 AND relation = '门票' AND tail_literal = '旺季60元，淡季40元。'`,
        [kb.id],
      ),
    ).toEqual([]);
    await expect(service.deleteItem(kb.id, ticket.id)).rejects.toMatchObject({ code: 'knowledge_item_not_found' });
  });

  it('adds a single QA item and refuses an identical one', async () => {
    const kb = await service.requireKnowledgeBase(workspaceId, 'faq');
    const item = await service.addItem(kb.id, { type: 'qa', question: '有停车场吗？', answer: '有，在东门。' });
    expect(item).toMatchObject({ kind: 'qa', question: '有停车场吗？' });
    await expect(
      service.addItem(kb.id, { type: 'qa', question: '有停车场吗？', answer: '有，在东门。' }),
    ).rejects.toMatchObject({ code: 'knowledge_item_conflict' });
  });
});
