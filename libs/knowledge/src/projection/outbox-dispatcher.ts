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
 * Delivers outbox rows of one target to its projection at least once, each aggregate's rows in
 * order. A failed row stays in the table with its error and is retried after an exponential
 * backoff, so an outage of the projection loses nothing; rows are marked processed only after
 * `apply` succeeds.
 *
 * Several dispatchers (one per gateway) may share a database: each round claims a batch with
 * `FOR UPDATE SKIP LOCKED` and a lease (`claimed_until`), so no two dispatchers apply the same row.
 * A lease rather than a transaction held open across `apply`: applying calls Qdrant or Neo4j and
 * may take seconds, an open transaction would pin a pool connection for that long (on embedded
 * PGlite, the only connection, blocking every other query), and a dispatcher that dies simply lets
 * its lease run out. Only the oldest pending row of an aggregate can be claimed, so one dispatcher
 * never overtakes another on the same aggregate (an upsert and a later delete of one item).
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
      /** How long a claimed batch is this dispatcher's; past it another may take the rows (default 60 s). */
      claimMs?: number;
      onError?: (error: Error, row: OutboxRow) => void;
    } = {},
  ) {}

  /** Applies every due row now; returns how many were applied and how many failed. */
  drain(): Promise<DrainResult> {
    this.running ??= this.drainOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Claims up to one batch of due rows no other dispatcher holds, oldest first. */
  private async claim(): Promise<OutboxRow[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `WITH due AS (
         SELECT o.id FROM outbox o
         WHERE o.target = $1 AND o.processed_at IS NULL AND o.available_at <= now()
           AND (o.claimed_until IS NULL OR o.claimed_until < now())
           AND NOT EXISTS (
             SELECT 1 FROM outbox e
             WHERE e.target = o.target AND e.aggregate_id = o.aggregate_id AND e.processed_at IS NULL AND e.id < o.id)
         ORDER BY o.id LIMIT $2
         FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE outbox SET claimed_until = now() + ($3 || ' milliseconds')::interval
         FROM due WHERE outbox.id = due.id
         RETURNING outbox.id, outbox.topic, outbox.aggregate_id, outbox.payload, outbox.attempts)
       SELECT id::text, topic, aggregate_id, payload, attempts FROM claimed ORDER BY id`,
      [this.projection.target, this.options.batch ?? 50, String(this.options.claimMs ?? 60_000)],
    );
    return rows.map((r) => ({
      id: String(r.id),
      topic: String(r.topic),
      aggregateId: String(r.aggregate_id),
      payload: r.payload,
      attempts: Number(r.attempts),
    }));
  }

  private async drainOnce(): Promise<DrainResult> {
    const result = { applied: 0, failed: 0 };
    for (;;) {
      const rows = await this.claim();
      if (rows.length === 0) return result;
      for (const [index, row] of rows.entries()) {
        try {
          await this.projection.apply(row);
          await this.db.query(
            `UPDATE outbox SET processed_at = now(), claimed_until = NULL, attempts = attempts + 1, last_error = NULL
             WHERE id = $1`,
            [row.id],
          );
          result.applied++;
        } catch (error) {
          const delay = Math.min(
            (this.options.baseDelayMs ?? 1000) * 2 ** row.attempts,
            this.options.maxDelayMs ?? 5 * 60_000,
          );
          await this.db.query(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2, claimed_until = NULL,
               available_at = now() + ($3 || ' milliseconds')::interval WHERE id = $1`,
            [row.id, (error as Error).message.slice(0, 1000), String(delay)],
          );
          // The rest of the batch is given back at once rather than held until the lease ends.
          const rest = rows.slice(index + 1).map((r) => r.id);
          if (rest.length > 0)
            await this.db.query(`UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1::bigint[])`, [rest]);
          result.failed++;
          this.options.onError?.(error as Error, row);
          // The projection's store is likely down: stop this round and retry later.
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
