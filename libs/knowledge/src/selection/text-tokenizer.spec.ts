import { HashingEmbedder } from '../embedding/hashing-embedder';
import { KnowledgeIndex } from './knowledge-index';
import { TextTokenizer } from './text-tokenizer';
import { description } from './testing/knowledge-items';

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

describe('KnowledgeIndex segmentation', () => {
  it('depends only on the knowledge base being searched', () => {
    const text = '冰墩墩真可爱';
    const olympics = new KnowledgeIndex([description('冰墩墩', '北京冬奥会的吉祥物。')], [], new HashingEmbedder());
    const before = olympics.tokenizer.tokens(text);
    const other = new KnowledgeIndex([description('墩真可', '另一个库的名字。')], [], new HashingEmbedder());
    expect(before).toEqual(['冰墩墩', '真', '可爱']);
    expect(olympics.tokenizer.tokens(text)).toEqual(before);
    expect(other.tokenizer.tokens(text)).toEqual(['冰', '墩', '墩真可', '爱']);
  });
});
