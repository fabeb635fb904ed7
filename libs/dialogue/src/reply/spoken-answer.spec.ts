import { firstSentences, spokenAnswer } from './spoken-answer';

describe('spokenAnswer', () => {
  it('says a fact as a sentence, in the first person when it is about the persona', () => {
    expect(
      spokenAnswer({ id: 'f', kind: 'fact', head: '清华大学', relation: '建校时间', tail: '1911年' }, '华智冰'),
    ).toBe('清华大学的建校时间是1911年。');
    expect(spokenAnswer({ id: 'f', kind: 'fact', head: '华智冰', relation: '学校', tail: '清华大学' }, '华智冰')).toBe(
      '我的学校是清华大学。',
    );
  });

  it('says the first sentences of a description, not the article', () => {
    const text =
      '冰墩墩是2022年北京冬奥会的吉祥物。它的形象是一只穿着冰晶外壳的大熊猫。设计团队来自广州美术学院，从全球征集的五千多件作品中脱颖而出，历时十个月修改了上千稿才最终定型。';
    expect(spokenAnswer({ id: 'd', kind: 'description', head: '冰墩墩', text }, '华智冰')).toBe(
      '冰墩墩是2022年北京冬奥会的吉祥物。它的形象是一只穿着冰晶外壳的大熊猫。',
    );
  });

  it('cuts an overlong first sentence at a comma', () => {
    const long = `${'很长的一句话'.repeat(5)}，${'后面还有更多的内容'.repeat(5)}，结尾。`;
    expect(firstSentences(long, 40)).toBe(`${'很长的一句话'.repeat(5)}。`);
  });
});
