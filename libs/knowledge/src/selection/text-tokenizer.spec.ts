import { TextTokenizer } from './text-tokenizer';

describe('TextTokenizer', () => {
  it("keeps its own knowledge base's names whole", () => {
    expect(new TextTokenizer(['谷爱凌']).tokens('谷爱凌是中国自由式滑雪运动员')).toContain('谷爱凌');
  });

  it('segments the same text independently for two knowledge bases', () => {
    const text = '冰墩墩真可爱，雪容融也是';
    const olympics = new TextTokenizer(['冰墩墩', '雪容融']);
    const other = new TextTokenizer(['墩真可']);
    // Built in this order on purpose: a later tokenizer's names must not leak into an earlier one.
    expect(olympics.tokens(text)).toEqual(['冰墩墩', '真', '可爱', '雪容融']);
    expect(other.tokens(text)).toEqual(['冰', '墩', '墩真可', '爱', '雪', '容', '融']);
    expect(new TextTokenizer().tokens(text)).toEqual(['冰', '墩', '墩', '真', '可爱', '雪', '容', '融']);
  });
});
