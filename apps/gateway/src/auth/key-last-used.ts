/**
 * When keys were last used, written at most once per key per interval: verifying a key (each
 * socket connect, each admin request) only notes the time here; a timer writes what was noted,
 * every key in one statement, and shutdown writes the rest. A failed write keeps its notes for the
 * next one.
 */
export class KeyLastUsed {
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (used: Map<string, Date>) => Promise<void>,
    private readonly intervalMs: number,
    private readonly onWriteFailed: (error: Error) => void,
  ) {}

  /** Notes a use; the first note after a write schedules the next one, an interval later. */
  note(keyId: string, at = new Date()): void {
    this.pending.set(keyId, at);
    this.timer ??= setTimeout(() => this.flush().catch(this.onWriteFailed), this.intervalMs).unref();
  }

  /** The use noted for a key and not yet written, if any. */
  noted(keyId: string): Date | undefined {
    return this.pending.get(keyId);
  }

  /** Writes every noted use now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.write(batch);
    } catch (error) {
      // Uses noted meanwhile are newer: only the others go back.
      for (const [keyId, at] of batch) if (!this.pending.has(keyId)) this.pending.set(keyId, at);
      this.timer ??= setTimeout(() => this.flush().catch(this.onWriteFailed), this.intervalMs).unref();
      throw error;
    }
  }
}
