import type { DataSource, EntitySubscriberInterface } from 'typeorm';
import type { BeforeQueryEvent } from 'typeorm/subscriber/event/QueryEvent';

/**
 * Counts the SQL statements a DataSource sends (every `query`, including BEGIN and COMMIT of a
 * transaction), through TypeORM's beforeQuery hook: what a piece of work costs in round trips.
 */
export class QueryCounter implements EntitySubscriberInterface {
  readonly statements: string[] = [];
  private counting = false;

  constructor(private readonly db: DataSource) {
    db.subscribers.push(this);
  }

  beforeQuery(event: BeforeQueryEvent<unknown>): void {
    if (this.counting) this.statements.push(event.query.replace(/\s+/g, ' ').trim());
  }

  /** The statements `work` sends, and its result. */
  async during<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    this.statements.length = 0;
    this.counting = true;
    try {
      const result = await work();
      return { result, statements: [...this.statements] };
    } finally {
      this.counting = false;
    }
  }

  detach(): void {
    const at = this.db.subscribers.indexOf(this);
    if (at >= 0) this.db.subscribers.splice(at, 1);
  }
}
