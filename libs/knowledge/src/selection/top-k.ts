/**
 * The `k` best [position, score] pairs, best first; equal scores keep the lower position first,
 * so the order never depends on how the candidates were visited (an index built from scratch and
 * one updated incrementally rank ties alike). A bounded min-heap: O(n log k), no full sort.
 */
export class TopK {
  private readonly positions: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  /** Whether (position, score) ranks below (otherPosition, otherScore). */
  private static worse(score: number, position: number, otherScore: number, otherPosition: number): boolean {
    return score < otherScore || (score === otherScore && position > otherPosition);
  }

  offer(position: number, score: number): void {
    if (this.k <= 0) return;
    const size = this.positions.length;
    if (size < this.k) {
      this.positions.push(position);
      this.scores.push(score);
      this.up(size);
    } else if (TopK.worse(this.scores[0], this.positions[0], score, position)) {
      this.positions[0] = position;
      this.scores[0] = score;
      this.down(0);
    }
  }

  /** The kept pairs, best first. */
  result(): [number, number][] {
    const out = this.positions.map((position, i): [number, number] => [position, this.scores[i]]);
    return out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!TopK.worse(this.scores[i], this.positions[i], this.scores[parent], this.positions[parent])) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const size = this.positions.length;
    for (;;) {
      let least = i;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        if (
          child < size &&
          TopK.worse(this.scores[child], this.positions[child], this.scores[least], this.positions[least])
        )
          least = child;
      }
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    [this.positions[a], this.positions[b]] = [this.positions[b], this.positions[a]];
    [this.scores[a], this.scores[b]] = [this.scores[b], this.scores[a]];
  }
}
