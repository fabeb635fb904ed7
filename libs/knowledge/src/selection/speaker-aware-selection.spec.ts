import { HashingEmbedder } from '../embedding/hashing-embedder';
import type { DialogueTurn } from './dialogue-turn';
import { KnowledgeIndex } from './knowledge-index';
import { selectKnowledge } from './knowledge-selector';
import { qa, description, fact as fullFact } from './testing/knowledge-items';

/** Facts here are named head|relation. */
const fact = (head: string, relation: string, tail: string) => fullFact(head, relation, tail, `${head}|${relation}`);

// A copy of persona/hua-zhibing.yaml's seed knowledge (copied, so the expectations stay fixed).
const GU_ANSWER =
  '谷爱凌是中国自由式滑雪运动员，在2022年北京冬奥会上获得女子大跳台和U型场地技巧两枚金牌、坡面障碍技巧一枚银牌。';
const hua = new KnowledgeIndex(
  [
    qa('qa-gu', '谷爱凌是谁？', GU_ANSWER),
    qa(
      'qa-hua',
      '华智冰是谁？',
      '我是华智冰，中国首位原创虚拟学生，2021年6月在清华大学计算机系“入学”，由智源研究院的“悟道”大模型驱动。',
    ),
    qa(
      'qa-games',
      '北京冬奥会是什么时候举办的？',
      '第二十四届冬季奥林匹克运动会于2022年2月4日至2月20日在北京和张家口举办，北京成为世界上首个“双奥之城”。',
    ),
    qa(
      'qa-freestyle',
      '自由式滑雪有哪些项目？',
      '自由式滑雪包括空中技巧、雪上技巧、U型场地技巧、坡面障碍技巧、大跳台和障碍追逐等项目。',
    ),
    qa(
      'qa-ski',
      '初学者怎么开始学滑雪？',
      '初学者最好先在教练指导下从双板的初级道开始，学会站立、刹车和转弯，并且一定要戴好头盔和护具。',
    ),
    description(
      '谷爱凌',
      '谷爱凌，2003年出生于美国旧金山，中国女子自由式滑雪运动员。2022年北京冬奥会上获得自由式滑雪女子大跳台金牌、女子U型场地技巧金牌和女子坡面障碍技巧银牌。',
    ),
    description(
      '北京冬奥会',
      '2022年北京冬季奥运会是第二十四届冬季奥林匹克运动会，在北京、延庆和张家口三个赛区举行，吉祥物是冰墩墩。',
    ),
    description(
      '悟道',
      '“悟道”是北京智源人工智能研究院发布的超大规模预训练模型，悟道2.0的参数规模达1.75万亿，华智冰由它驱动。',
    ),
    fact('谷爱凌', '项目', '自由式滑雪'),
    fact('北京冬奥会', '吉祥物', '冰墩墩'),
    fact('华智冰', '学校', '清华大学'),
  ],
  [],
  new HashingEmbedder(),
);

const select = (index: KnowledgeIndex, turns: (string | DialogueTurn)[], top = 5) =>
  selectKnowledge(index, turns, { top });
const ids = (index: KnowledgeIndex, turns: (string | DialogueTurn)[], top = 5) =>
  select(index, turns, top).map((r) => r.item.id);
/** The persona answered 谷爱凌是谁？ from the QA pair, as its trace records. */
const afterGu: (string | DialogueTurn)[] = [
  '谷爱凌是谁？',
  { text: GU_ANSWER, speaker: 'persona', usedItemIds: ['qa-gu'] },
];

describe('selectKnowledge with speakers', () => {
  it('treats plain strings as user turns', () => {
    const turns = ['故宫在哪？', '北京。', '谷爱凌是谁？'];
    expect(select(hua, turns)).toEqual(
      select(
        hua,
        turns.map((text) => ({ text, speaker: 'user' as const })),
      ),
    );
  });

  it('moves on to what the newest turn asks instead of the QA the persona just voiced', () => {
    expect(ids(hua, [...afterGu, '我想学滑雪'], 1)).toEqual(['qa-ski']);
  });

  it("keeps the persona's own reply out of the query even without the ids it used", () => {
    const turns: DialogueTurn[] = [
      { text: '谷爱凌是谁？' },
      { text: GU_ANSWER, speaker: 'persona' },
      { text: '我想学滑雪' },
    ];
    expect(ids(hua, turns, 1)).toEqual(['qa-ski']);
  });

  it('answers a question about a value with the fact and its entity, never the earlier topic', () => {
    const top = ids(
      hua,
      [
        ...afterGu,
        '我想学滑雪',
        { text: '初学者最好先在教练指导下从双板的初级道开始。', speaker: 'persona', usedItemIds: ['qa-ski'] },
        '冰墩墩是什么？',
      ],
      2,
    );
    expect(top.sort()).toEqual(['北京冬奥会|Information', '北京冬奥会|吉祥物']);
  });

  it('does not offer a voiced QA pair again for an unrelated utterance', () => {
    for (const utterance of ['你喜欢写诗吗？', '你是谁', '还有呢？']) {
      expect(ids(hua, [...afterGu, utterance], 1)).not.toEqual(['qa-gu']);
    }
  });

  it('answers a repeated question again', () => {
    expect(ids(hua, [...afterGu, '谷爱凌是谁？'], 1)).toEqual(['qa-gu']);
  });

  it("resolves a pronoun through the persona's reply", () => {
    const palace = new KnowledgeIndex(
      [
        description('故宫', '故宫又称紫禁城，是明、清两代的皇宫。'),
        fact('故宫', '地址', '北京市东城区景山前街4号'),
        fact('故宫', '开放时间', '8:30-17:00'),
        fact('故宫', '门票', '旺季60元，淡季40元'),
        description('天坛', '天坛是明清两代皇帝祭天的地方。'),
        fact('天坛', '开放时间', '6:00-22:00'),
      ],
      [],
      new HashingEmbedder(),
    );
    const turns: (string | DialogueTurn)[] = [
      '故宫在哪？',
      { text: '故宫在北京市东城区景山前街4号。', speaker: 'persona' },
      '它几点开门？',
    ];
    expect(ids(palace, turns, 1)).toEqual(['故宫|开放时间']);
  });
});

describe('parts.newest', () => {
  const frontDesk = new KnowledgeIndex(
    [
      qa('register', '访客怎么登记？', '请在一楼大厅的自助机上扫描身份证登记。'),
      qa('open', '大厦几点开门？', '大厦工作日早上八点到晚上八点开放。'),
      qa('parking', '有停车场吗？', '地下一层和二层是停车场。'),
      qa('wifi', '无线网络密码是多少？', '访客无线网络名称是 BAAI-Guest。'),
      qa('room', '会议室在哪里？', '会议室在三楼，出电梯右转就是。'),
      qa('metro', '附近有地铁站吗？', '最近的是地铁15号线清华东路西口站。'),
    ],
    [],
    new HashingEmbedder(),
  );
  const best = (index: KnowledgeIndex, turns: (string | DialogueTurn)[]) =>
    Math.max(0, ...select(index, turns, 10).map((r) => r.parts.newest));

  it('is high for what the knowledge answers', () => {
    expect(best(hua, ['谷爱凌是谁？'])).toBe(1);
    expect(best(hua, [...afterGu, '我想学滑雪'])).toBeGreaterThanOrEqual(0.5);
    expect(best(hua, [...afterGu, '冰墩墩是什么？'])).toBeGreaterThanOrEqual(0.8);
    expect(best(frontDesk, ['大厦几点开门？'])).toBe(1);
    expect(best(frontDesk, ['请问几点开门'])).toBeGreaterThanOrEqual(0.5);
    expect(best(frontDesk, ['停车场在哪'])).toBeGreaterThanOrEqual(0.5);
  });

  it('considers every stored question that shares wording, whatever the segmentation', () => {
    // jieba cuts 地铁 here and 地铁站 there, so BM25 alone would miss the pair.
    expect(select(frontDesk, ['坐地铁怎么过来？'], 1)[0].item.id).toBe('metro');
  });

  it('is low for what it does not answer', () => {
    expect(best(hua, ['你会弹钢琴吗？'])).toBeLessThan(0.3);
    expect(best(hua, [...afterGu, '你会弹钢琴吗？'])).toBeLessThan(0.3);
    expect(best(frontDesk, ['洗手间在哪'])).toBeLessThan(0.3);
    expect(
      best(frontDesk, ['会议室几点关门？', { text: '会议室晚上九点关。', speaker: 'persona' }, '洗手间在哪']),
    ).toBeLessThan(0.3);
  });

  it('rates higher the description that holds what the turn asks about', () => {
    const ranked = select(hua, [...afterGu, '她拿了几块金牌？'], 10);
    const of = (id: string) => ranked.find((r) => r.item.id === id)?.parts.newest ?? 0;
    expect(of('谷爱凌|Information')).toBeGreaterThan(of('北京冬奥会|Information'));
  });

  it('does not read a specific question as a request for the description', () => {
    const film = new KnowledgeIndex(
      [
        description('恋恋笔记本（美国2004年爱情片）', '《恋恋笔记本》是2004年的一部爱情片。'),
        fact('恋恋笔记本（美国2004年爱情片）', '上映时间', '2004年06月25日'),
      ],
      [],
      new HashingEmbedder(),
    );
    const turns: (string | DialogueTurn)[] = [
      '你看过恋恋笔记本吗？',
      { text: '看过，是一部爱情片。', speaker: 'persona' },
      '知道是哪年上映的吗？',
    ];
    const ranked = select(film, turns);
    const of = (id: string) => ranked.find((r) => r.item.id === id)?.parts.newest ?? 0;
    expect(of('恋恋笔记本（美国2004年爱情片）|上映时间')).toBeGreaterThan(0.6);
    expect(of('恋恋笔记本（美国2004年爱情片）|Information')).toBeLessThan(0.3);
  });

  it('grades facts by whether the asked relation is theirs', () => {
    const parts = select(hua, ['北京冬奥会的吉祥物是什么？'], 10);
    const of = (id: string) => parts.find((r) => r.item.id === id)?.parts.newest;
    expect(of('北京冬奥会|吉祥物')).toBe(1);
    expect(of('北京冬奥会|Information')).toBeLessThan(0.3);
  });
});
