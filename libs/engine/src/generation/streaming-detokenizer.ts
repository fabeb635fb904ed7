/**
 * Turns a growing list of token ids into text deltas without ever emitting half a character:
 * byte-level tokens can split a Chinese character across tokens, which decodes to U+FFFD until
 * the rest arrives, so text ending in U+FFFD is held back.
 */
export class StreamingDetokenizer {
  private emitted = '';

  constructor(private readonly decode: (ids: number[]) => string) {}

  /** The new text since the last call, or '' while a character is incomplete. */
  push(ids: number[]): string {
    const text = this.decode(ids);
    if (text.endsWith('\uFFFD')) return '';
    const delta = text.startsWith(this.emitted) ? text.slice(this.emitted.length) : '';
    this.emitted = text;
    return delta;
  }

  /** Everything left at the end (an incomplete character included, as U+FFFD). */
  flush(ids: number[]): string {
    const text = this.decode(ids);
    const delta = text.startsWith(this.emitted) ? text.slice(this.emitted.length) : '';
    this.emitted = text;
    return delta;
  }

  get text(): string {
    return this.emitted;
  }
}
