import { byteLevelTokenizerJson } from './byte-level-tokenizer';

type Tokenizer = import('@huggingface/tokenizers', { with: { 'resolution-mode': 'import' } }).Tokenizer;

describe('byteLevelTokenizerJson', () => {
  const specials = ['[MASK]', '[gMASK]', '<sop>', '<eop>', '<|user|>'];
  let tokenizer: Tokenizer;

  beforeAll(async () => {
    // The tokenizer library is an ES module: load it the way the engine does.
    const { Tokenizer } = await import('@huggingface/tokenizers');
    tokenizer = new Tokenizer(byteLevelTokenizerJson(specials), {});
  });

  it.each(['谷爱凌是谁？', 'Hello, 世界! 🎿', '  spaces\tand\nnewlines  '])('round-trips %j exactly', (text) => {
    const { ids } = tokenizer.encode(text, { add_special_tokens: false });
    expect(ids.every((id: number) => id < 256)).toBe(true);
    expect(tokenizer.decode(ids)).toBe(text);
  });

  it('gives each special token its own id after the 256 bytes', () => {
    expect(specials.map((s) => tokenizer.token_to_id(s))).toEqual([256, 257, 258, 259, 260]);
    expect(tokenizer.encode('a[MASK]b', { add_special_tokens: false }).ids).toEqual([97, 256, 98]);
  });
});
