/**
 * A growable list of (position, value) kept sorted by position, in typed arrays: an index over
 * 100k items reads hundreds of thousands of postings per query, and objects would cost both the
 * reads and the garbage collector. New items take the highest position, so adding is an append;
 * an insert or removal elsewhere shifts the tail (a memmove, microseconds).
 */
export class PostingList {
  positions = new Int32Array(4);
  values = new Float32Array(4);
  length = 0;

  add(position: number, value: number): void {
    if (this.length === this.positions.length) this.grow();
    let at = this.length;
    if (at > 0 && this.positions[at - 1] > position) {
      at = this.find(position);
      this.positions.copyWithin(at + 1, at, this.length);
      this.values.copyWithin(at + 1, at, this.length);
    }
    this.positions[at] = position;
    this.values[at] = value;
    this.length++;
  }

  /** Removes the entry of `position`; returns whether there was one. */
  remove(position: number): boolean {
    const at = this.find(position);
    if (at >= this.length || this.positions[at] !== position) return false;
    this.positions.copyWithin(at, at + 1, this.length);
    this.values.copyWithin(at, at + 1, this.length);
    this.length--;
    return true;
  }

  /** The first index whose position is ≥ `position`. */
  private find(position: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.positions[mid] < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private grow(): void {
    const positions = new Int32Array(this.positions.length * 2);
    positions.set(this.positions);
    const values = new Float32Array(this.values.length * 2);
    values.set(this.values);
    this.positions = positions;
    this.values = values;
  }
}
