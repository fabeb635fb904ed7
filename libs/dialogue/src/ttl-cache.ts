/**
 * Values looked up for a turn and reused for `ttlMs` (persona versions, knowledge-base ids), so a
 * turn does not read them from the database every time. A failed lookup is not kept.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; at: number }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = performance.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    for (const [k, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(k);
    const value = load();
    this.entries.set(key, { value, at: now });
    // A rejection reaches the caller through `value`; the entry is dropped so the next turn asks again.
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
    return value;
  }
}
