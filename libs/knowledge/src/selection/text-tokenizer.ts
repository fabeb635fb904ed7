import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

/** Punctuation, particles and function words that carry no retrieval signal. */
const STOPWORDS = new Set(
  '的 了 吗 呢 吧 啊 呀 是 在 有 和 与 也 都 就 还 又 很 这 那 我 你 他 她 它 们 这个 那个 一个 什么 怎么 可以 没有 不 会 要 去 到 个 对 让 给 被 把 从 而 及 或 等'.split(' '),
);
const PUNCTUATION = /^[\s\p{P}\p{S}]+$/u;

let shared: Jieba | undefined;
const loadedWords = new Set<string>();

/**
 * Chinese-aware tokens for lexical search: jieba segmentation with the knowledge base's entity
 * names loaded as user words, so "谷爱凌" or "百雅轩798艺术中心" stay whole.
 */
export class TextTokenizer {
  private readonly jieba: Jieba;

  constructor(userWords: Iterable<string> = []) {
    shared ??= Jieba.withDict(dict);
    this.jieba = shared;
    const fresh = [...userWords].filter((w) => w.length > 1 && !/\s/.test(w) && !loadedWords.has(w));
    if (fresh.length > 0) {
      // jieba's dictionary format: one "word frequency" per line; a high frequency keeps names whole.
      this.jieba.loadDict(Buffer.from(fresh.map((w) => `${w} 100000 nz`).join('\n')));
      for (const word of fresh) loadedWords.add(word);
    }
  }

  tokens(text: string): string[] {
    const out: string[] = [];
    for (const token of this.jieba.cut(text, false)) {
      const word = token.trim().toLowerCase();
      if (!word || PUNCTUATION.test(word) || STOPWORDS.has(word)) continue;
      out.push(word);
    }
    return out;
  }
}
