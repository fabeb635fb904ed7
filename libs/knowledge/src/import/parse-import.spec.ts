import { parseImport } from './parse-import';

describe('parseImport', () => {
  it('validates JSON Lines line by line, reporting each bad line with its number and reason', () => {
    const content = [
      '{"question":"谷爱凌是谁？","answer":"中国自由式滑雪运动员。"}',
      '',
      '{"question":"","answer":"x"}',
      'not json',
      '{"question":"q","answer":"a","extra":1}',
    ].join('\n');
    const { records, rejected } = parseImport('qa', content);
    expect(records).toEqual([
      { line: 1, record: { type: 'qa', question: '谷爱凌是谁？', answer: '中国自由式滑雪运动员。' } },
    ]);
    expect(rejected).toEqual([
      { line: 3, reason: expect.stringContaining('question') },
      { line: 4, reason: 'not valid JSON' },
      { line: 5, reason: expect.stringMatching(/extra/) },
    ]);
  });

  it('turns Information triples into descriptions', () => {
    const { records } = parseImport(
      'triples',
      '{"head":"故宫","relation":"Information","tail":"明清两代的皇宫"}\n{"head":"故宫","relation":"门票","tail":"60元"}',
    );
    expect(records.map((r) => r.record)).toEqual([
      { type: 'description', entity: '故宫', text: '明清两代的皇宫' },
      { type: 'triple', head: '故宫', relation: '门票', tail: '60元' },
    ]);
  });

  it('reads KdConv kb.json as triples', () => {
    const { records, rejected } = parseImport(
      'triples',
      JSON.stringify({
        故宫: [
          ['故宫', '门票', '60元'],
          ['故宫', '地址'],
        ],
      }),
    );
    expect(records.map((r) => r.record)).toEqual([{ type: 'triple', head: '故宫', relation: '门票', tail: '60元' }]);
    expect(rejected).toEqual([{ line: 2, reason: expect.any(String) }]);
  });

  it('reads CSV QA pairs with a header, numbering lines as in the file', () => {
    const { records, rejected } = parseImport('csv', 'question,answer\n"门票多少钱？","60元, 淡季40元"\n缺答案,\n');
    expect(records).toEqual([{ line: 2, record: { type: 'qa', question: '门票多少钱？', answer: '60元, 淡季40元' } }]);
    expect(rejected).toEqual([{ line: 3, reason: expect.stringContaining('answer') }]);
  });
});
