import type { GraphFact, GraphIndex } from '@zhibing/knowledge';

/** The behaviour every graph index must have (Postgres, Neo4j), over the facts `setup` stored. */
export function graphIndexContract(setup: () => Promise<{ graph: GraphIndex; kb: string; facts: GraphFact[] }>): void {
  let ctx: Awaited<ReturnType<typeof setup>>;
  const key = (f: GraphFact) => `${f.head}|${f.relation}|${f.tail}`;

  beforeAll(async () => {
    ctx = await setup();
    await ctx.graph.upsert(ctx.kb, ctx.facts);
  });

  it('depth 1: the facts of an entity and the facts pointing at it', async () => {
    const facts = await ctx.graph.neighbourhood(ctx.kb, '天坛', 1);
    expect(facts.map(key).sort()).toEqual(['天坛|门票|旺季15元', '故宫|周边景点|天坛']);
  });

  it('depth 2: one hop further', async () => {
    const facts = await ctx.graph.neighbourhood(ctx.kb, '天坛', 2);
    expect(facts.map(key)).toEqual(
      expect.arrayContaining(['故宫|门票|旺季60元，淡季40元。', '故宫|周边景点|天坛', '天坛|门票|旺季15元']),
    );
  });

  it('an unknown entity has no neighbourhood', async () => {
    expect(await ctx.graph.neighbourhood(ctx.kb, '不存在', 2)).toEqual([]);
  });
}
