import { type Embedder, HashingEmbedder } from '@zhibing/knowledge';
import { selectHistory } from './history-selection';

const exchanges = [
  { id: 'a', user: '故宫的门票多少钱？', persona: '旺季60元。', index: 0 },
  { id: 'b', user: '你喜欢吃什么？', persona: '我喜欢饺子。', index: 1 },
  { id: 'c', user: '今天天气怎么样？', persona: '晴天。', index: 2 },
  { id: 'd', user: '周末有空吗？', persona: '有的。', index: 3 },
];
const countTokens = (text: string) => text.length;
const embedder = new HashingEmbedder();

/** The hashing embedder, counting the texts it is asked to embed. */
class CountingEmbedder implements Embedder {
  readonly id = 'counting';
  readonly dimensions = embedder.dimensions;
  readonly calls: string[][] = [];

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push(texts);
    return embedder.embed(texts);
  }
}

describe('selectHistory (XDAI)', () => {
  it('keeps everything, in dialogue order, when the budget allows', async () => {
    const kept = await selectHistory(exchanges, '故宫几点开门？', { budget: 1000, countTokens, embedder });
    expect(kept.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('under a tight budget keeps the newest exchange and the most relevant older one', async () => {
    const kept = await selectHistory(exchanges, '故宫的门票贵吗？', { budget: 24, countTokens, embedder });
    expect(kept.map((e) => e.id)).toEqual(['a', 'd']);
  });

  it('decays with distance: the same similarity scores lower further back', async () => {
    const same = [
      { id: 'old', user: '滑雪', persona: '', index: 0 },
      { id: 'new', user: '滑雪', persona: '', index: 1 },
    ];
    const [old, recent] = await selectHistory(same, '滑雪', { budget: 100, countTokens, embedder, alpha: 0.5 });
    expect(old.score).toBeCloseTo(recent.score * 0.5, 6);
  });

  it('embeds each earlier exchange once: the next turn embeds only its utterance and the new exchange', async () => {
    const counting = new CountingEmbedder();
    const first = await selectHistory(exchanges.slice(0, 3), '故宫几点开门？', {
      budget: 1000,
      countTokens,
      embedder: counting,
    });
    const second = await selectHistory(exchanges, '故宫的门票贵吗？', {
      budget: 1000,
      countTokens,
      embedder: counting,
    });
    expect(counting.calls).toEqual([
      ['故宫几点开门？'],
      exchanges.slice(0, 3).map((e) => `${e.user}${e.persona}`),
      ['故宫的门票贵吗？'],
      ['周末有空吗？有的。'],
    ]);
    // Cached vectors score exactly as fresh ones.
    const fresh = await selectHistory(exchanges, '故宫的门票贵吗？', { budget: 1000, countTokens, embedder });
    expect(second.map((e) => e.score)).toEqual(fresh.map((e) => e.score));
    expect(first).toHaveLength(3);
  });
});
