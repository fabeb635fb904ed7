import { HashingEmbedder, type VectorIndex } from '@zhibing/knowledge';

/**
 * The behaviour every vector index must have (Postgres with or without pgvector, Qdrant).
 * `setup` returns the index and ids of a knowledge base and of items that exist in the store.
 */
export function vectorIndexContract(
  setup: () => Promise<{ index: VectorIndex; kbA: string; kbB: string; ids: string[] }>,
): void {
  const embedder = new HashingEmbedder();
  const texts = ['故宫的门票多少钱', '天坛在哪里', '谷爱凌是中国自由式滑雪运动员'];
  let ctx: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    ctx = await setup();
  });

  it('finds the nearest item first, with cosine scores', async () => {
    await ctx.index.upsert(
      ctx.kbA,
      embedder.id,
      texts.map((t, i) => ({ id: ctx.ids[i], vector: embedder.embedSync(t) })),
    );
    const hits = await ctx.index.search(ctx.kbA, embedder.id, embedder.embedSync('谷爱凌是谁'), 2);
    expect(hits).toHaveLength(2);
    expect(hits[0].id).toBe(ctx.ids[2]);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect(hits[0].score).toBeLessThanOrEqual(1.0001);
  });

  it('keeps knowledge bases apart', async () => {
    const hits = await ctx.index.search(ctx.kbB, embedder.id, embedder.embedSync('谷爱凌是谁'), 10);
    expect(hits.filter((h) => ctx.ids.includes(h.id))).toEqual([]);
  });

  it('upserting again replaces a vector instead of duplicating it', async () => {
    await ctx.index.upsert(ctx.kbA, embedder.id, [{ id: ctx.ids[0], vector: embedder.embedSync('谷爱凌 滑雪 冠军') }]);
    const hits = await ctx.index.search(ctx.kbA, embedder.id, embedder.embedSync('谷爱凌'), 10);
    const ids = hits.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 2).sort()).toEqual([ctx.ids[0], ctx.ids[2]].sort());
  });

  it('deletes points', async () => {
    await ctx.index.delete(ctx.kbA, [ctx.ids[2]]);
    const hits = await ctx.index.search(ctx.kbA, embedder.id, embedder.embedSync('谷爱凌是谁'), 10);
    expect(hits.map((h) => h.id)).not.toContain(ctx.ids[2]);
  });
}
