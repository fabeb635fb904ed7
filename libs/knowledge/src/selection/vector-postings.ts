import { PostingList } from './posting-list';
import { TopK } from './top-k';

/**
 * Item vectors stored dimension-major as posting lists of their non-zero values: a query touches
 * only its own non-zero dimensions, and within each only the items that have that dimension. The
 * hashing embedder's vectors are sparse (a fact has a few dozen of 256 buckets), so this reads a
 * fraction of a dense scan; a dense embedder's vectors cost the same reads as a column scan.
 * Adding or removing an item touches only its own dimensions.
 */
export class VectorPostings {
  private readonly dims: PostingList[];
  /** Position → the dimensions the item has (to remove it). */
  private readonly itemDims: (Uint16Array | undefined)[] = [];
  private slots = 0;

  constructor(readonly dimensions: number) {
    this.dims = Array.from({ length: dimensions }, () => new PostingList());
  }

  add(position: number, vector: Float32Array): void {
    if (this.itemDims[position] !== undefined) this.remove(position);
    const used: number[] = [];
    for (let d = 0; d < this.dimensions; d++) {
      const value = vector[d];
      if (value === 0 || Number.isNaN(value)) continue;
      this.dims[d].add(position, value);
      used.push(d);
    }
    this.itemDims[position] = Uint16Array.from(used);
    this.slots = Math.max(this.slots, position + 1);
  }

  remove(position: number): void {
    const used = this.itemDims[position];
    if (used === undefined) return;
    for (const d of used) this.dims[d].remove(position);
    this.itemDims[position] = undefined;
  }

  /** Cosine similarity (dot product of unit vectors) of every position to a unit query vector. */
  similarities(query: Float32Array): Float32Array {
    // Float32 accumulation, dimension by dimension: the same sums as a dense column scan.
    const out = new Float32Array(this.slots);
    for (let d = 0; d < query.length && d < this.dimensions; d++) {
      const q = query[d];
      if (q === 0) continue;
      const { positions, values, length } = this.dims[d];
      for (let i = 0; i < length; i++) out[positions[i]] += q * values[i];
    }
    return out;
  }

  /** The `limit` most similar positions above `threshold`, as [position, cosine], best first. */
  nearest(query: Float32Array, threshold: number, limit: number): [number, number][] {
    const similarities = this.similarities(query);
    const best = new TopK(limit);
    for (let position = 0; position < similarities.length; position++) {
      const score = similarities[position];
      if (score > threshold) best.offer(position, score);
    }
    return best.result();
  }
}
