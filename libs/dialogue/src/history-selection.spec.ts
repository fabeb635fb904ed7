import { selectHistory } from './history-selection';

const exchanges = [
  { id: 'a', user: '故宫的门票多少钱？', persona: '旺季60元。', index: 0 },
  { id: 'b', user: '你喜欢吃什么？', persona: '我喜欢饺子。', index: 1 },
  { id: 'c', user: '今天天气怎么样？', persona: '晴天。', index: 2 },
  { id: 'd', user: '周末有空吗？', persona: '有的。', index: 3 },
];
const countTokens = (text: string) => text.length;

describe('selectHistory (XDAI)', () => {
  it('keeps everything, in dialogue order, when the budget allows', () => {
    expect(selectHistory(exchanges, '故宫几点开门？', { budget: 1000, countTokens }).map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('under a tight budget keeps the newest exchange and the most relevant older one', () => {
    const kept = selectHistory(exchanges, '故宫的门票贵吗？', { budget: 24, countTokens });
    expect(kept.map((e) => e.id)).toEqual(['a', 'd']);
  });

  it('decays with distance: the same similarity scores lower further back', () => {
    const same = [
      { id: 'old', user: '滑雪', persona: '', index: 0 },
      { id: 'new', user: '滑雪', persona: '', index: 1 },
    ];
    const [old, recent] = selectHistory(same, '滑雪', { budget: 100, countTokens, alpha: 0.5 });
    expect(old.score).toBeCloseTo(recent.score * 0.5, 6);
  });
});
