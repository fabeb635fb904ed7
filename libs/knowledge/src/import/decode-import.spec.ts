import { decodeImportText } from './decode-import';
import { parseImport } from './parse-import';

describe('import file text', () => {
  it('reads UTF-8, dropping a byte-order mark so line 1 is valid', () => {
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"question":"洗手间在哪？","answer":"一楼。"}\n'),
    ]);
    const text = decodeImportText(withBom);
    expect(parseImport('qa', text)).toEqual({
      records: [{ line: 1, record: { type: 'qa', question: '洗手间在哪？', answer: '一楼。' } }],
      rejected: [],
    });
    // REST bodies arrive already decoded, the mark included: the parser drops it too.
    expect(parseImport('qa', '\uFEFF{"question":"q","answer":"a"}').rejected).toEqual([]);
  });

  it('refuses GBK or Latin-1 text and binary files with import_invalid, saying how to fix it', () => {
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好 in GBK
    expect(() => decodeImportText(gbk)).toThrow(
      expect.objectContaining({ code: 'import_invalid', message: expect.stringMatching(/not UTF-8.*iconv/) }),
    );
    const latin1 = Buffer.from('question,answer\ncaf\xe9,ok\n', 'latin1');
    expect(() => decodeImportText(latin1)).toThrow(/not UTF-8/);
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);
    expect(() => decodeImportText(binary)).toThrow(/binary/);
    expect(() => parseImport('csv', 'question,answer\n\u0000')).toThrow(/binary/);
  });
});
