import type { RankedKnowledge } from '@zhibing/knowledge';
import { answerCoverage } from './answer-coverage';
import { decideGrounding } from './grounding';
import { addressesSomeone, nameTheAddressee } from './addressee';

const ranked = (id: string, newest: number, item: Partial<RankedKnowledge['item']>): RankedKnowledge => ({
  item: { id, kind: 'fact', ...item },
  score: 1,
  parts: { entity: 1, relationCue: 0, prior: 1, novelty: 1, lexical: 0, dense: 0, fused: 1, newest },
});

describe('answerCoverage', () => {
  const description = {
    id: 'd',
    kind: 'description' as const,
    head: '林黛玉',
    text: '林黛玉自幼体弱，住在大观园的潇湘馆，擅长作诗。',
  };

  it('is full when nothing but names and question words is asked', () => {
    expect(answerCoverage('林黛玉是谁？', description, [])).toEqual({ share: 1, uncovered: 0, size: 0 });
  });

  it('is low when the item says nothing of what is asked, though it names the right entity', () => {
    expect(answerCoverage('林黛玉会骑自行车吗？', description, []).share).toBeLessThan(0.3);
    expect(answerCoverage('林黛玉会骑自行车吗？', description, []).uncovered).toBeGreaterThan(3);
    expect(answerCoverage('林黛玉喜欢作诗吗？', description, [])).toEqual({ share: 1, uncovered: 0, size: 2 });
  });

  it('counts English by words, without question words, so a plain English answer covers an English question', () => {
    const passage = {
      id: 'p',
      kind: 'description' as const,
      head: 'rules',
      text: 'The shuttle bus leaves every twenty minutes.',
    };
    // "how often does the" ask nothing by themselves; "leave" is found in "leaves".
    expect(answerCoverage('How often does the shuttle bus leave?', passage, [])).toEqual({
      share: 1,
      uncovered: 0,
      size: 6,
    });
    // Letters of "helmet" are all in the passage, but the word is not: nothing is covered.
    expect(answerCoverage('Do I need a helmet?', passage, [])).toEqual({ share: 0, uncovered: 4, size: 4 });
  });
});

describe('decideGrounding', () => {
  it('answers from the item that best answers the utterance among the first three', () => {
    const grounding = decideGrounding(
      [
        ranked('a', 0.3, { head: '故宫', relation: '地址', tail: '北京' }),
        ranked('b', 0.9, { head: '故宫', relation: '门票', tail: '60元' }),
      ],
      '故宫门票多少钱？',
    );
    expect(grounding).toMatchObject({ case: 'knowledge', score: 0.9, threshold: expect.any(Number) });
    expect(grounding.items[0].item.id).toBe('b');
  });

  it('falls back below the threshold, and says greeting for a greeting', () => {
    expect(decideGrounding([ranked('a', 0.1, { head: '故宫' })], '今天天气怎么样？')).toMatchObject({
      case: 'fallback',
      items: [],
    });
    expect(decideGrounding([], '你好！')).toMatchObject({ case: 'greeting', items: [] });
    expect(decideGrounding([], '你好，故宫在哪？')).toMatchObject({ case: 'fallback' });
  });

  it('discounts an item that names the entity but not what is asked', () => {
    const description = ranked('d', 0.6, { kind: 'description', head: '林黛玉', text: '林黛玉自幼体弱，住在潇湘馆。' });
    expect(decideGrounding([description], '林黛玉会骑自行车吗？').case).toBe('fallback');
    expect(decideGrounding([description], '林黛玉是谁？').case).toBe('knowledge');
  });

  it('lets a QA pair answer a differently worded question when it holds everything asked', () => {
    const qa = ranked('q', 0.2, {
      kind: 'qa',
      question: '有停车场吗？',
      answer: '地下一层是停车场，访客停车前两小时免费。',
    });
    expect(decideGrounding([qa], '停车免费吗？').case).toBe('knowledge');
  });
});

describe('the addressee', () => {
  it('names the persona where the user says 你 to it, not in 你们 or 你好', () => {
    expect(nameTheAddressee('你住在哪里？', '林黛玉')).toBe('林黛玉住在哪里？');
    expect(nameTheAddressee('你好，你们几点开门？', '小智')).toBe('你好，你们几点开门？');
    expect([addressesSomeone('您贵姓？'), addressesSomeone('你们好')]).toEqual([true, false]);
  });
});
