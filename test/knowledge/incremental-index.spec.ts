import {
  HashingEmbedder,
  KnowledgeIndex,
  kdconvCases,
  kdconvItems,
  selectKnowledge,
  type KnowledgeItem,
  type RankedKnowledge,
} from '@zhibing/knowledge';
import { kdconvDomain } from './kdconv-fixture';

/** A fixed pseudo-random order (mulberry32), so the test replays the same changes every run. */
function shuffled<T>(values: T[], seed: number): T[] {
  const out = [...values];
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const summary = (ranked: RankedKnowledge[]) =>
  ranked.map((r) => ({ id: r.item.id.replace(/#again$/, ''), score: r.score, parts: r.parts }));

describe('KnowledgeIndex kept up to date item by item', () => {
  const film = kdconvDomain('film');
  const travel = kdconvDomain('travel');
  const facts = [...kdconvItems(film.kb), ...kdconvItems(travel.kb).slice(0, 3000)];
  // QA pairs whose questions name entities: linking them depends on which entities exist.
  const questions: KnowledgeItem[] = facts
    .filter((item) => item.kind === 'fact')
    .filter((_, i) => i % 20 === 0)
    .map((item, i) => ({
      id: `qa${i}`,
      kind: 'qa',
      question: `${item.head}的${item.relation}是什么？`,
      answer: item.tail,
    }));
  const all = shuffled([...facts, ...questions], 7);
  const dialogues = [...kdconvCases(film.dialogues).slice(0, 250), ...kdconvCases(travel.dialogues).slice(0, 250)].map(
    (c) => c.turns,
  );

  it('selects the same items with the same scores as an index built from scratch over the final items', () => {
    const embedder = new HashingEmbedder();
    const incremental = new KnowledgeIndex(all.slice(0, 2000), [], embedder);
    // Adds one by one and in batches, deletes (whole entities among them), re-adds deleted items.
    for (const item of all.slice(2000, 2300)) incremental.add([item]);
    for (let start = 2300; start < 4000; start += 400) incremental.add(all.slice(start, start + 400));
    const goneHeads = new Set(all.slice(0, 40).flatMap((item) => (item.head ? [item.head] : [])));
    const deleted = all.slice(0, 4000).filter((item, i) => i % 7 === 3 || (item.head && goneHeads.has(item.head)));
    for (const item of deleted.slice(0, 100)) incremental.remove([item.id]);
    incremental.remove(deleted.slice(100).map((item) => item.id));
    incremental.add(deleted.filter((_, i) => i % 2 === 0).map((item) => ({ ...item, id: `${item.id}#again` })));
    incremental.add(all.slice(4000));

    const finalItems = incremental.items.filter((item) => incremental.has(item.id));
    const scratch = new KnowledgeIndex(finalItems, [], embedder);
    expect(incremental.size).toBe(scratch.size);
    expect(incremental.size).toBe(all.length - deleted.length + Math.ceil(deleted.length / 2));

    let nonEmpty = 0;
    for (const turns of dialogues) {
      const expected = summary(selectKnowledge(scratch, turns, { top: 10 }));
      expect(summary(selectKnowledge(incremental, turns, { top: 10 }))).toEqual(expected);
      if (expected.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(dialogues.length * 0.9);
  });

  it('a build in slices yields between them and equals the one-go build', async () => {
    const items = kdconvItems(travel.kb).slice(0, 3000);
    let pauses = 0;
    const sliced = await KnowledgeIndex.build(items, [], new HashingEmbedder(), [], {
      slice: 250,
      pause: async () => void pauses++,
    });
    expect(pauses).toBeGreaterThanOrEqual((2 * items.length) / 250);
    const whole = new KnowledgeIndex(items, [], new HashingEmbedder());
    for (const turns of dialogues.slice(250, 350))
      expect(summary(selectKnowledge(sliced, turns, { top: 10 }))).toEqual(
        summary(selectKnowledge(whole, turns, { top: 10 })),
      );
  });

  it('a removed item is never selected and an entity whose items are all gone is not linked', () => {
    const index = new KnowledgeIndex(kdconvItems(travel.kb).slice(0, 500), [], new HashingEmbedder());
    const head = index.items[0].head!;
    const ofHead = index.items.filter((item) => item.head === head);
    expect(index.linker.link(`${head}怎么样？`).map((m) => m.entity)).toEqual([head]);
    index.remove(ofHead.map((item) => item.id));
    expect(index.linker.link(`${head}怎么样？`)).toEqual([]);
    const selected = selectKnowledge(index, [`${head}怎么样？`], { top: 50 }).map((r) => r.item.id);
    expect(selected.filter((id) => ofHead.some((item) => item.id === id))).toEqual([]);
  });
});
