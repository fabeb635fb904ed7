/** Okapi BM25 over pre-tokenized documents; document i is the i-th added. */
export class Bm25Index {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private scratch = new Float64Array(0);

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  add(tokens: string[]): number {
    const doc = this.lengths.length;
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [token, tf] of counts) {
      let list = this.postings.get(token);
      if (!list) this.postings.set(token, (list = []));
      list.push({ doc, tf });
    }
    this.lengths.push(tokens.length);
    this.totalLength += tokens.length;
    return doc;
  }

  /**
   * The `limit` best documents for a (weighted) query, as [document, score], best first.
   * Scores accumulate in a flat array: a query touches thousands of postings per turn.
   */
  search(query: Map<string, number>, limit = Infinity): [number, number][] {
    const n = this.lengths.length;
    if (n === 0) return [];
    if (this.scratch.length !== n) this.scratch = new Float64Array(n);
    const scores = this.scratch;
    const touched: number[] = [];
    const avg = this.totalLength / n;
    for (const [term, weight] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        if (scores[doc] === 0) touched.push(doc);
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]) / avg);
        scores[doc] += weight * idf * ((tf * (this.k1 + 1)) / norm);
      }
    }
    const results = touched.map((doc): [number, number] => [doc, scores[doc]]);
    for (const doc of touched) scores[doc] = 0;
    results.sort((a, b) => b[1] - a[1]);
    return Number.isFinite(limit) ? results.slice(0, limit) : results;
  }
}
