/**
 * Token counts of recent texts. Prompt budgeting counts the same texts every turn (each kept
 * history exchange, knowledge items) on the gateway's event loop, at ~250 µs per 100 characters
 * with a Hugging Face tokenizer; a count is a pure function of the text, so it is kept. Bounded:
 * past `capacity` entries the oldest goes; long texts are counted, not kept.
 */
export class TokenCountCache {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly count: (text: string) => number,
    private readonly capacity = 4096,
    private readonly longestKept = 4096,
  ) {}

  get(text: string): number {
    const known = this.counts.get(text);
    if (known !== undefined) return known;
    const counted = this.count(text);
    if (text.length <= this.longestKept) {
      if (this.counts.size >= this.capacity) this.counts.delete(this.counts.keys().next().value!);
      this.counts.set(text, counted);
    }
    return counted;
  }

  get size(): number {
    return this.counts.size;
  }
}
