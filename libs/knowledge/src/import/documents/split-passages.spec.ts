import { splitPassages, splitSentences } from './split-passages';

describe('splitSentences', () => {
  it('ends Chinese sentences at 。！？； and keeps closing quotes with them', () => {
    expect(splitSentences('谷爱凌出生于美国。她说：“我爱滑雪！”她为中国参赛？是的；')).toEqual([
      '谷爱凌出生于美国。',
      '她说：“我爱滑雪！”',
      '她为中国参赛？',
      '是的；',
    ]);
  });

  it('does not end an English sentence at a dot inside a number', () => {
    expect(splitSentences('Pi is 3.14 roughly. Then more! Last one')).toEqual([
      'Pi is 3.14 roughly.',
      'Then more!',
      'Last one',
    ]);
  });
});

describe('splitPassages', () => {
  const sentence = (i: number) => `第${i}句话讲的是滑雪。`;

  it('packs whole paragraphs up to the limit and never spans sections', () => {
    const passages = splitPassages(
      [
        { path: ['A'], paragraphs: ['一。', '二。', '三。'] },
        { path: ['B'], paragraphs: ['四。'] },
      ],
      5,
    );
    expect(passages).toEqual([
      { path: ['A'], text: '一。\n二。' },
      { path: ['A'], text: '三。' },
      { path: ['B'], text: '四。' },
    ]);
  });

  it('cuts a long paragraph between sentences, each passage within the limit', () => {
    const paragraph = Array.from({ length: 40 }, (_, i) => sentence(i)).join('');
    const passages = splitPassages([{ path: [], paragraphs: [paragraph] }], 100);
    expect(passages.length).toBeGreaterThan(3);
    for (const p of passages) {
      expect(p.text.length).toBeLessThanOrEqual(100);
      expect(p.text).toMatch(/。$/);
    }
    expect(passages.map((p) => p.text).join('')).toBe(paragraph);
  });

  it('cuts inside a sentence only when the sentence alone is over the limit', () => {
    const passages = splitPassages([{ path: [], paragraphs: ['x'.repeat(25)] }], 10);
    expect(passages.map((p) => p.text.length)).toEqual([10, 10, 5]);
  });
});
