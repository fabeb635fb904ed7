import type { DataSource } from 'typeorm';

export interface OutboxRow {
  id: string;
  topic: string;
  aggregateId: string;
  payload: unknown;
  attempts: number;
}

/** Something that applies outbox messages to an external store (Qdrant, Neo4j). */
export interface Projection {
  readonly target: string;
  apply(message: OutboxRow): Promise<void>;
}

export interface DrainResult {
  applied: number;
  failed: number;
}

/**
 * Delivers outbox rows of one target to its projection, oldest first, at least once. A failed
 * row stays in the table with its error and is retried after an exponential backoff, so an
 * outage of the projection loses nothing; rows are marked processed only after `apply` succeeds.
 */
export class OutboxDispatcher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<DrainResult>;

  constructor(
    private readonly db: DataSource,
    private readonly projection: Projection,
    private readonly options: {
      batch?: number;
      baseDelayMs?: number;
      maxDelayMs?: number;
      onError?: (error: Error, row: OutboxRow) => void;
    } = {},
  ) {}

  /** Applies every due row now; returns how many were applied and how many failed. */
  drain(): Promise<DrainResult> {
    this.running ??= this.drainOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drainOnce(): Promise<DrainResult> {
    const result = { applied: 0, failed: 0 };
    for (;;) {
      const rows: OutboxRow[] = (
        await this.db.query(
          `SELECT id::text, topic, aggregate_id, payload, attempts FROM outbox
           WHERE target = $1 AND processed_at IS NULL AND available_at <= now() ORDER BY id LIMIT $2`,
          [this.projection.target, this.options.batch ?? 50],
        )
      ).map((r: Record<string, unknown>) => ({
        id: String(r.id),
        topic: String(r.topic),
        aggregateId: String(r.aggregate_id),
        payload: r.payload,
        attempts: Number(r.attempts),
      }));
      if (rows.length === 0) return result;
      for (const row of rows) {
        try {
          await this.projection.apply(row);
          await this.db.query(
            `UPDATE outbox SET processed_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
            [row.id],
          );
          result.applied++;
        } catch (error) {
          const delay = Math.min(
            (this.options.baseDelayMs ?? 1000) * 2 ** row.attempts,
            this.options.maxDelayMs ?? 5 * 60_000,
          );
          await this.db.query(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2, available_at = now() + ($3 || ' milliseconds')::interval WHERE id = $1`,
            [row.id, (error as Error).message.slice(0, 1000), String(delay)],
          );
          result.failed++;
          this.options.onError?.(error as Error, row);
          // Keep order per target: stop this round at the first failure and retry later.
          return result;
        }
      }
    }
  }

  /** Pending (unprocessed) rows of this target. */
  async pending(): Promise<number> {
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM outbox WHERE target = $1 AND processed_at IS NULL`,
      [this.projection.target],
    );
    return count;
  }

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => void this.drain().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
