import { KnowledgeService, type KnowledgeChangeFeed } from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { testDatabases } from '../support/test-databases';

const QA = [
  { question: '故宫几点开门？', answer: '8:30。' },
  { question: '天坛的门票多少钱？', answer: '旺季15元。' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

/** No polling window in these tests: a change must arrive by notification. */
const NEVER = 3_600_000;

/** Resolves when `check` holds, polling briefly; fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

/** A feed that hears nothing: only the slow version check can find changes. */
const deafFeed: KnowledgeChangeFeed = {
  start: () => undefined,
  publish: () => undefined,
  close: async () => undefined,
};

describe.each(testDatabases())('knowledge index across gateways on $name', (database) => {
  let target: Awaited<ReturnType<typeof database.create>>;
  let writerDb: DataSource;
  let readerDb: DataSource;
  let writer: KnowledgeService;
  let reader: KnowledgeService;
  let kbId: string;
  const selects = async (service: KnowledgeService, question: string) =>
    (await service.select(kbId, [question], 3)).items.some((r) => r.item.question === question);

  beforeAll(async () => {
    target = await database.create();
    writerDb = await openDatabase(target);
    // Two gateways over a Postgres server each have their own connections; an embedded database
    // has one owner process, where the two services share it.
    readerDb = target.kind === 'postgres' ? await openDatabase(target, { migrate: false }) : writerDb;
    writer = new KnowledgeService(writerDb, { versionCheckMs: NEVER });
    reader = new KnowledgeService(readerDb, { versionCheckMs: NEVER });
    const workspaceId = await ensureWorkspace(writerDb);
    kbId = (await writer.importFile(workspaceId, 'faq', 'qa', QA)).knowledgeBase.id;
    await reader.index(kbId);
  });
  afterAll(async () => {
    await writer?.close();
    await reader?.close();
    if (readerDb && readerDb !== writerDb) await closeDatabase(readerDb);
    if (writerDb) await closeDatabase(writerDb);
    await database.drop();
  });

  it('an item added on one gateway is selectable on the other at once, and a deleted one is gone', async () => {
    const added = await writer.addItem(kbId, { type: 'qa', question: '冰壶馆在哪里？', answer: '国家游泳中心。' });
    // The writer reads its own write when addItem returns.
    expect(await selects(writer, '冰壶馆在哪里？')).toBe(true);
    const ms = await eventually(() => selects(reader, '冰壶馆在哪里？'));
    expect(ms).toBeLessThan(2000);
    expect(reader.indexVersion(kbId)).toBe(writer.indexVersion(kbId));

    await writer.deleteItem(kbId, added.id);
    expect(await selects(writer, '冰壶馆在哪里？')).toBe(false);
    await eventually(async () => !(await selects(reader, '冰壶馆在哪里？')));
  });

  it('the index kept up to date by changes selects as one loaded from scratch', async () => {
    const more = [
      { type: 'triple' as const, head: '国家游泳中心', relation: '别名', tail: '水立方' },
      { type: 'triple' as const, head: '国家游泳中心', relation: '地址', tail: '北京市朝阳区天辰东路11号' },
      { type: 'qa' as const, question: '水立方在哪里？', answer: '朝阳区。' },
    ];
    const ids = [];
    for (const record of more) ids.push((await writer.addItem(kbId, record)).id);
    await writer.deleteItem(kbId, ids[1]);
    const version = writer.indexVersion(kbId)!;
    await eventually(async () => reader.indexVersion(kbId) === version);
    const fresh = new KnowledgeService(readerDb, { versionCheckMs: NEVER });
    try {
      for (const turns of [
        ['水立方在哪里？'],
        ['国家游泳中心的地址是什么？'],
        ['故宫几点开门？', '8:30。', '天坛呢？'],
      ]) {
        const expected = (await fresh.select(kbId, turns, 5)).items.map((r) => [r.item.id, r.score]);
        expect(expected.length).toBeGreaterThan(0);
        expect((await reader.select(kbId, turns, 5)).items.map((r) => [r.item.id, r.score])).toEqual(expected);
        expect((await writer.select(kbId, turns, 5)).items.map((r) => [r.item.id, r.score])).toEqual(expected);
      }
    } finally {
      await fresh.close();
    }
  });

  it('a gateway that missed the notices finds the changes by its version check', async () => {
    const late = new KnowledgeService(readerDb, { versionCheckMs: 50, changeFeed: deafFeed });
    try {
      await late.index(kbId);
      await writer.addItem(kbId, { type: 'qa', question: '雪车在哪里比赛？', answer: '延庆。' });
      // The deaf feed delivers nothing and selection reads no version: only the check can bring it.
      await eventually(() => selects(late, '雪车在哪里比赛？'));
    } finally {
      await late.close();
    }
  });

  if (database.name === 'postgres') {
    it('the listener reconnects after its connection is killed, and catches up what it missed', async () => {
      const listeners = `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN zhibing_knowledge'`;
      expect((await writerDb.query(listeners)).length).toBe(2);
      await writerDb.query(`SELECT pg_terminate_backend(pid) FROM (${listeners}) l`);
      // Written while no one listens: the reconnection's catch-up must find it.
      await writer.addItem(kbId, { type: 'qa', question: '冬奥村在哪？', answer: '朝阳区。' });
      await eventually(() => selects(reader, '冬奥村在哪？'));
      await eventually(async () => (await writerDb.query(listeners)).length === 2);
      await writer.addItem(kbId, { type: 'qa', question: '火炬台在哪？', answer: '鸟巢。' });
      await eventually(() => selects(reader, '火炬台在哪？'));
    });
  }
});
