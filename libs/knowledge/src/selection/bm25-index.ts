import { PostingList } from './posting-list';
import { TopK } from './top-k';

/**
 * Okapi BM25 over pre-tokenized documents, each at a position the caller chooses (an item's
 * position in the knowledge index). Documents are added and removed one at a time; document
 * frequencies, the live count and the total length follow, so scores equal those of an index
 * built from scratch over the same documents.
 */
export class Bm25Index {
  private readonly postings = new Map<string, PostingList>();
  /** Position → the document's distinct terms (to remove it), undefined when none. */
  private readonly terms: (string[] | undefined)[] = [];
  private readonly lengths: number[] = [];
  private live = 0;
  private totalLength = 0;
  private scratch = new Float64Array(0);
  private touched = new Int32Array(0);

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  get size(): number {
    return this.live;
  }

  add(position: number, tokens: string[]): void {
    if (this.terms[position] !== undefined) this.remove(position);
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [token, tf] of counts) {
      let list = this.postings.get(token);
      if (!list) this.postings.set(token, (list = new PostingList()));
      list.add(position, tf);
    }
    this.terms[position] = [...counts.keys()];
    this.lengths[position] = tokens.length;
    this.live++;
    this.totalLength += tokens.length;
  }

  remove(position: number): void {
    const terms = this.terms[position];
    if (terms === undefined) return;
    for (const term of terms) {
      const list = this.postings.get(term)!;
      list.remove(position);
      if (list.length === 0) this.postings.delete(term);
    }
    this.terms[position] = undefined;
    this.live--;
    this.totalLength -= this.lengths[position];
  }

  /**
   * The `limit` best documents for a (weighted) query, as [position, score], best first (ties:
   * lower position first). Scores accumulate in a flat array; a bounded heap keeps the best.
   */
  search(query: Map<string, number>, limit = Infinity): [number, number][] {
    const n = this.live;
    if (n === 0) return [];
    const slots = this.lengths.length;
    if (this.scratch.length < slots) {
      this.scratch = new Float64Array(Math.max(slots, this.scratch.length * 2));
      this.touched = new Int32Array(this.scratch.length);
    }
    const scores = this.scratch;
    const touched = this.touched;
    let count = 0;
    const avg = this.totalLength / n;
    const { k1, b } = this;
    for (const [term, weight] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      const { positions, values } = list;
      for (let i = 0; i < list.length; i++) {
        const doc = positions[i];
        const tf = values[i];
        if (scores[doc] === 0) touched[count++] = doc;
        const norm = tf + k1 * (1 - b + (b * this.lengths[doc]) / avg);
        scores[doc] += weight * idf * ((tf * (k1 + 1)) / norm);
      }
    }
    const best = new TopK(Number.isFinite(limit) ? limit : count);
    for (let i = 0; i < count; i++) {
      const doc = touched[i];
      best.offer(doc, scores[doc]);
      scores[doc] = 0;
    }
    return best.result();
  }
}
