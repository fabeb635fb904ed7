import { HashingEmbedder, KnowledgeService, OpenAiEmbedderAdapter } from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { type EmbeddingsServer, startEmbeddingsServer } from '../support/embeddings-server';
import { testDatabases } from '../support/test-databases';

const QA = [
  { question: '故宫的门票多少钱？', answer: '旺季60元，淡季40元。' },
  { question: '你最喜欢哪种冬季项目？', answer: '我最喜欢滑雪。' },
  { question: '熊猫吃什么？', answer: '主要吃竹子。' },
  { question: '今天天气怎么样？', answer: '晴，最高气温十度。' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

/** Shares no character with the ticket question: only a model that knows 紫禁城 = 故宫, 入场费 = 门票 finds it. */
const PARAPHRASE = '紫禁城入场费几何';

describe.each(testDatabases())('configured embedder on $name', (database) => {
  let db: DataSource;
  let server: EmbeddingsServer;
  let workspaceId: string;
  let hashing: KnowledgeService;
  let kbId: string;
  // Each test's services stop listening after it: a live one would apply (and embed) later writes too.
  const opened: KnowledgeService[] = [];
  const remote = () => {
    const service = new KnowledgeService(db, {
      embedder: new OpenAiEmbedderAdapter({ url: server.url, model: 'concepts', dimensions: server.dims }),
    });
    opened.push(service);
    return service;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((service) => service.close()));
  });
  const embeddingRows = async (embedder: string) =>
    Number(
      (
        await db.query(
          `SELECT count(*)::int AS n FROM knowledge_embeddings WHERE knowledge_base_id = $1 AND embedder = $2`,
          [kbId, embedder],
        )
      )[0].n,
    );

  beforeAll(async () => {
    server = await startEmbeddingsServer({ dims: 32 });
    db = await openDatabase(await database.create());
    workspaceId = await ensureWorkspace(db);
    hashing = new KnowledgeService(db);
    kbId = (await hashing.importFile(workspaceId, 'faq', 'qa', QA)).knowledgeBase.id;
  });
  afterAll(async () => {
    await hashing?.close();
    if (db) await closeDatabase(db);
    await database.drop();
    await server?.close();
  });

  it('with the built-in hashing embedder, the paraphrase finds nothing by its dense part', async () => {
    const { items } = await hashing.select(kbId, [PARAPHRASE], 5);
    const ticket = items.find((r) => r.item.question === '故宫的门票多少钱？');
    expect(ticket?.parts.dense ?? 0).toBe(0);
    expect(ticket?.parts.lexical ?? 0).toBe(0);
    expect(await embeddingRows(new HashingEmbedder().id)).toBe(4);
  });

  it('reembed switches the base to the HTTP embedder with progress, and a second run skips everything', async () => {
    const service = remote();
    const progress: [number, number][] = [];
    const before = server.texts;
    const report = await service.reembed(kbId, (done, total) => progress.push([done, total]));
    expect(report).toMatchObject({
      embedder: 'openai:concepts',
      items: 4,
      skipped: 0,
      embedded: 4,
      knowledgeBase: { id: kbId, name: 'faq' },
    });
    expect(progress).toEqual([
      [0, 4],
      [4, 4],
    ]);
    expect(server.texts - before).toBe(4);
    expect(await embeddingRows('openai:concepts')).toBe(4);
    // The hashing vectors stay: switching back needs no re-embedding.
    expect(await embeddingRows(new HashingEmbedder().id)).toBe(4);

    const again = await service.reembed(kbId);
    expect(again).toMatchObject({ items: 4, skipped: 4, embedded: 0 });
    expect(server.texts - before).toBe(4);
  });

  it("selection's dense part uses the server: the paraphrase finds the ticket answer, the index reads stored vectors", async () => {
    const service = remote();
    const requests = server.requests;
    const { items } = await service.select(kbId, [PARAPHRASE], 3);
    expect(items[0].item).toMatchObject({ question: '故宫的门票多少钱？', answer: '旺季60元，淡季40元。' });
    expect(items[0].parts.dense).toBeGreaterThan(0.8);
    expect(items[0].parts.lexical).toBe(0);
    // Building the index embedded nothing: one request, for the query.
    expect(server.requests - requests).toBe(1);
  });

  it('items written under another embedder are embedded when the index is built, and stored', async () => {
    await hashing.addItem(kbId, { type: 'qa', question: '国宝在哪里能看到？', answer: '成都大熊猫繁育研究基地。' });
    const service = remote();
    const texts = server.texts;
    const { items } = await service.select(kbId, ['熊猫住在哪儿'], 2);
    expect(items.map((r) => r.item.question)).toContain('国宝在哪里能看到？');
    // The new item and the query: nothing else was embedded again.
    expect(server.texts - texts).toBe(2);
    expect(await embeddingRows('openai:concepts')).toBe(5);
  });

  it('a write through the configured embedder stores its vector with that embedder id', async () => {
    const service = remote();
    await service.addItem(kbId, { type: 'qa', question: '营业到几点？', answer: '下午五点。' });
    expect(await embeddingRows('openai:concepts')).toBe(6);
    expect(await embeddingRows(new HashingEmbedder().id)).toBe(5);
  });

  it('reembed tells every process (updated_at) and queues all items for the projections', async () => {
    const embedder = new OpenAiEmbedderAdapter({ url: server.url, model: 'concepts', dimensions: server.dims });
    const service = new KnowledgeService(db, { embedder, projections: ['vectors'] });
    const [before] = await db.query(`SELECT updated_at FROM knowledge_bases WHERE id = $1`, [kbId]);
    await service.reembed(kbId);
    const [after] = await db.query(`SELECT updated_at FROM knowledge_bases WHERE id = $1`, [kbId]);
    expect(new Date(after.updated_at).getTime()).toBeGreaterThan(new Date(before.updated_at).getTime());
    const queued: { payload: { itemIds: string[] } }[] = await db.query(
      `SELECT payload FROM outbox WHERE target = 'vectors' AND topic = 'knowledge.upserted' AND aggregate_id = $1`,
      [kbId],
    );
    expect(queued.flatMap((row) => row.payload.itemIds)).toHaveLength(6);
  });

  it('an unreachable embedding server: selection goes on without dense retrieval and says so in `degraded`', async () => {
    const gone = await startEmbeddingsServer();
    await gone.close();
    const service = new KnowledgeService(db, {
      embedder: new OpenAiEmbedderAdapter({ url: gone.url, model: 'concepts', dimensions: 32, retries: 0 }),
    });
    const selection = await service.select(kbId, ['故宫的门票多少钱？'], 3);
    expect(selection.degraded).toMatch(
      /embedder openai:concepts failed \(embedder_unavailable\); selection without dense retrieval/,
    );
    expect(selection.items.every((r) => r.parts.dense === 0)).toBe(true);
    expect(selection.items[0].item.question).toBe('故宫的门票多少钱？');
  });
});
