import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { EntityLinker } from './entity-linker';

/** Punctuation, particles and function words that carry no retrieval signal. */
const STOPWORDS = new Set(
  '的 了 吗 呢 吧 啊 呀 是 在 有 和 与 也 都 就 还 又 很 这 那 我 你 他 她 它 们 这个 那个 一个 什么 怎么 可以 没有 不 会 要 去 到 个 对 让 给 被 把 从 而 及 或 等'.split(
    ' ',
  ),
);
const PUNCTUATION = /^[\s\p{P}\p{S}]+$/u;

/**
 * jieba with its stock dictionary only, shared by every tokenizer and never given user words:
 * a knowledge base's names must not change how another base's text is cut.
 */
let stock: Jieba | undefined;

/**
 * Chinese-aware tokens for lexical search over one knowledge base: its own names (entities and
 * aliases) are found first by longest match and kept whole ("谷爱凌", "百雅轩798艺术中心"); the
 * text between them is cut by stock jieba. Each tokenizer knows only the names it was given, so
 * two knowledge bases segment the same text independently, and building one costs a trie of its
 * names rather than a jieba instance (~45 MB) per base.
 */
export class TextTokenizer {
  private readonly names: EntityLinker;

  constructor(userWords: Iterable<string> = []) {
    stock ??= Jieba.withDict(dict);
    const words = [...userWords].filter(TextTokenizer.accepts);
    this.names = new EntityLinker(words.map((name) => ({ name })));
  }

  /** Whether a name is kept whole: two or more characters, no whitespace. */
  static accepts(word: string): boolean {
    return word.length > 1 && !/\s/.test(word);
  }

  /** Adds or removes one name kept whole (the knowledge base gained or lost it). */
  setWord(word: string, present: boolean): void {
    if (TextTokenizer.accepts(word)) this.names.set(word, present ? word : undefined);
  }

  tokens(text: string): string[] {
    const out: string[] = [];
    const chars = Array.from(text);
    let at = 0;
    const cut = (end: number) => {
      if (end > at) for (const token of stock!.cut(chars.slice(at, end).join(''), false)) this.push(out, token);
    };
    for (const mention of this.names.link(text)) {
      cut(mention.start);
      this.push(out, mention.entity);
      at = mention.end;
    }
    cut(chars.length);
    return out;
  }

  /** The words of a short phrase and the words inside them (出生日期 → 出生, 生日, 日期, 出生日期). */
  searchParts(text: string): string[] {
    return stock!
      .cutForSearch(text, false)
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w && !PUNCTUATION.test(w) && !STOPWORDS.has(w));
  }

  private push(out: string[], token: string): void {
    const word = token.trim().toLowerCase();
    if (word && !PUNCTUATION.test(word) && !STOPWORDS.has(word)) out.push(word);
  }
}
