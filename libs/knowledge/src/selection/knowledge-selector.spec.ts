import { HashingEmbedder } from '../embedding/hashing-embedder';
import { KnowledgeIndex } from './knowledge-index';
import { selectKnowledge } from './knowledge-selector';
import { fact, description } from './testing/knowledge-items';

describe('selectKnowledge', () => {
  const index = new KnowledgeIndex(
    [
      description('故宫', '故宫又称紫禁城，是明、清两代的皇宫。'),
      fact('故宫', '地址', '北京市东城区景山前街4号'),
      fact('故宫', '门票', '旺季60元，淡季40元。'),
      fact('故宫', '开放时间', '8:30-17:00'),
      fact('故宫', '周边景点', '天坛'),
      description('天坛', '天坛是明清两代皇帝祭天的地方。'),
      fact('天坛', '地址', '北京市东城区天坛路甲1号'),
      fact('天坛', '门票', '旺季15元'),
      { id: 'qa-1', kind: 'qa', question: '谷爱凌是谁？', answer: '谷爱凌是中国自由式滑雪运动员。' },
    ],
    [{ name: '谷爱凌', aliases: [] }],
    new HashingEmbedder(),
  );
  const top = (turns: string[], k = 3) => selectKnowledge(index, turns, { top: k }).map((r) => r.item.id);

  it('answers the relation a question asks about', () => {
    expect(top(['故宫的门票多少钱？'], 1)).toEqual(['故宫|门票|旺季60元，淡季40元。']);
  });

  it('carries the focus entity across turns ("那它的地址呢？")', () => {
    expect(top(['天坛的门票多少钱？', '旺季15元。', '那它的地址呢？'], 1)).toEqual([
      '天坛|地址|北京市东城区天坛路甲1号',
    ]);
  });

  it('introduces a newly named entity with its description', () => {
    expect(top(['你知道故宫吗？'], 1)).toEqual(['故宫|Information']);
  });

  it('does not repeat a fact the dialogue already voiced', () => {
    const ranked = top(['故宫的门票多少钱？', '旺季60元，淡季40元。', '还有呢？'], 3);
    expect(ranked).not.toContain('故宫|门票|旺季60元，淡季40元。');
  });

  it('counts a fact as voiced when a turn gives its year or amount without quoting it whole', () => {
    const people = new KnowledgeIndex(
      [
        description('唐·钱德尔', '唐·钱德尔，美国演员。'),
        fact('唐·钱德尔', '出生日期', '1964年11月29日'),
        fact('唐·钱德尔', '国籍', '美国'),
      ],
      [],
      new HashingEmbedder(),
    );
    const ranked = selectKnowledge(people, ['唐·钱德尔多大了？', '1964年底生人，五十多岁了。', '嗯。'], { top: 3 }).map(
      (r) => r.item.id,
    );
    expect(ranked.indexOf('唐·钱德尔|出生日期|1964年11月29日')).toBeGreaterThan(ranked.indexOf('唐·钱德尔|国籍|美国'));
  });

  it('counts a value named in an older question as voiced: the turn after it answered', () => {
    const actor = new KnowledgeIndex(
      [
        fact('阿尔·帕西诺', '代表作品', '忠奸人'),
        fact('阿尔·帕西诺', '代表作品', '闻香识女人'),
        fact('阿尔·帕西诺', '出生日期', '1940年04月25日'),
      ],
      [],
      new HashingEmbedder(),
    );
    const turns = ['阿尔·帕西诺你了解吗？', '他还有个电影《忠奸人》你看过吗？', '看过，也挺好看的。'];
    expect(
      selectKnowledge(actor, turns, { top: 3 })
        .map((r) => r.item.id)
        .at(-1),
    ).toBe('阿尔·帕西诺|代表作品|忠奸人');
  });

  it('resolves 他/她 to a person and 它 to a thing, whoever was named last', () => {
    const film = new KnowledgeIndex(
      [
        fact('恋恋笔记本', '主演', '瑞恩·高斯林'),
        fact('恋恋笔记本', '上映时间', '2004年06月25日'),
        fact('瑞恩·高斯林', '出生日期', '1980年11月12日'),
        fact('瑞恩·高斯林', '出生地', '加拿大安大略省'),
      ],
      [],
      new HashingEmbedder(),
    );
    const first = (turns: string[]) => selectKnowledge(film, turns, { top: 1 })[0].item.id;
    const talk = ['你知道瑞恩·高斯林吗？', '知道，他演过恋恋笔记本。'];
    expect(first([...talk, '它是哪年上映的？'])).toBe('恋恋笔记本|上映时间|2004年06月25日');
    expect(first([...talk, '他是哪年出生的？'])).toBe('瑞恩·高斯林|出生日期|1980年11月12日');
  });

  it('finds QA items by the entities of their question', () => {
    expect(top(['谷爱凌是谁？'], 1)).toEqual(['qa-1']);
  });

  it('explains every ranked item with its score parts', () => {
    const [best] = selectKnowledge(index, ['故宫的门票多少钱？'], { top: 1 });
    expect(best.parts).toMatchObject({ relationCue: 1, novelty: 1 });
    expect(best.parts.entity).toBeGreaterThan(0);
    expect(best.parts.fused).toBe(best.score);
  });
});

describe('selectKnowledge over passages (a document cut into sections)', () => {
  const index = new KnowledgeIndex(
    [
      description('交通', '酒店的摆渡车每二十分钟发一班，首班早上七点。'),
      description('装备', '雪板和头盔可以在蓝色小屋租用，每天四十元。'),
      description('Transport', 'The shuttle bus leaves the hotel every twenty minutes.'),
      description('故宫', '故宫又称紫禁城，是明、清两代的皇宫。'),
      fact('故宫', '门票', '旺季60元，淡季40元。'),
    ],
    [],
    new HashingEmbedder(),
  );
  const best = (turn: string) => selectKnowledge(index, [turn], { top: 1 })[0];

  it('finds the section that answers by its words, though nobody names its heading', () => {
    expect(best('摆渡车多久发一班？')).toMatchObject({ item: { head: '交通' } });
    expect(best('摆渡车多久发一班？').parts.newest).toBeGreaterThan(0.25);
    expect(best('头盔在哪里租？')).toMatchObject({ item: { head: '装备' } });
    expect(best('How often does the shuttle bus leave?')).toMatchObject({ item: { head: 'Transport' } });
    expect(best('How often does the shuttle bus leave?').parts.newest).toBeGreaterThan(0.25);
  });

  it('still needs an entity with facts named: a description of one is not a passage', () => {
    const palace = selectKnowledge(index, ['明清两代的皇宫叫什么？'], { top: 5 }).find((r) => r.item.head === '故宫');
    expect(palace?.parts.newest ?? 0).toBe(0);
  });
});
