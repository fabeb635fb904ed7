import { PostingList } from './posting-list';
import { TopK } from './top-k';

/** At most this many cached posting factors (8 bytes each: 32 MB). */
const MAX_CACHED_FACTORS = 4_000_000;

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
  /**
   * Per queried term, each posting's length-normalized term frequency under the current
   * statistics (`epoch`: any add or remove changes the average length, so every entry then goes
   * stale). Most of a query's work sits in a few long posting lists queried turn after turn.
   */
  private readonly factors = new Map<string, { epoch: number; values: Float64Array }>();
  private cachedFactors = 0;
  private epoch = 0;

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
    this.epoch++;
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
    this.epoch++;
    this.live--;
    this.totalLength -= this.lengths[position];
  }

  /** (tf · (k1 + 1)) / (tf + k1 · (1 − b + b · length / average length)) of each posting of `term`. */
  private factorsOf(term: string, list: PostingList): Float64Array {
    const cached = this.factors.get(term);
    if (cached && cached.epoch === this.epoch && cached.values.length === list.length) {
      // Least recently used goes first: a hit moves to the end.
      this.factors.delete(term);
      this.factors.set(term, cached);
      return cached.values;
    }
    if (cached) {
      this.factors.delete(term);
      this.cachedFactors -= cached.values.length;
    }
    const { k1, b } = this;
    const avg = this.totalLength / this.live;
    const values = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const tf = list.values[i];
      const norm = tf + k1 * (1 - b + (b * this.lengths[list.positions[i]]) / avg);
      values[i] = (tf * (k1 + 1)) / norm;
    }
    this.factors.set(term, { epoch: this.epoch, values });
    this.cachedFactors += values.length;
    for (const [oldest, entry] of this.factors) {
      if (this.cachedFactors <= MAX_CACHED_FACTORS) break;
      this.factors.delete(oldest);
      this.cachedFactors -= entry.values.length;
    }
    return values;
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
    for (const [term, weight] of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      const scale = weight * idf;
      const factors = this.factorsOf(term, list);
      const positions = list.positions;
      for (let i = 0; i < list.length; i++) {
        const doc = positions[i];
        if (scores[doc] === 0) touched[count++] = doc;
        scores[doc] += scale * factors[i];
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
