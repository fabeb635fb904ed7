/**
 * Turns a growing list of token ids into text deltas without ever emitting half a character:
 * byte-level tokens can split a Chinese character across tokens, which decodes to U+FFFD until
 * the rest arrives, so text ending in U+FFFD is held back. Each step decodes only the window
 * from the previous emission point (prefix/read offsets, as text-generation-inference does):
 * both offsets sit where emitted text ended, so the window's prefix decodes cleanly and a long
 * reply costs linear, not quadratic, time.
 */
export class StreamingDetokenizer {
  private emitted = '';
  private prefixOffset = 0;
  private readOffset = 0;

  private readonly decode: (ids: number[]) => string;

  constructor(decode: (ids: number[]) => string) {
    // Some tokenizers fail on an empty list; nothing decodes to nothing.
    this.decode = (ids) => (ids.length === 0 ? '' : decode(ids));
  }

  /** The new text since the last call, or '' while a character is incomplete. */
  push(ids: number[]): string {
    return this.advance(ids, false);
  }

  /** Everything left at the end (an incomplete character included, as U+FFFD). */
  flush(ids: number[]): string {
    return this.advance(ids, true);
  }

  get text(): string {
    return this.emitted;
  }

  private advance(ids: number[], final: boolean): string {
    const prefix = this.decode(ids.slice(this.prefixOffset, this.readOffset));
    const window = this.decode(ids.slice(this.prefixOffset));
    if (window.length <= prefix.length || (!final && window.endsWith('\uFFFD'))) return '';
    const delta = window.slice(prefix.length);
    this.emitted += delta;
    this.prefixOffset = this.readOffset;
    this.readOffset = ids.length;
    return delta;
  }
}
