import { OutboxDispatcher, type OutboxRow, type Projection } from '@zhibing/knowledge';
import { closeDatabase, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { testDatabases } from '../support/test-databases';

/** Records what it applies; each apply yields to the event loop so two dispatchers interleave. */
class RecordingProjection implements Projection {
  readonly target = 'recorded';
  constructor(
    private readonly log: { id: string; aggregateId: string; by: string }[],
    private readonly by: string,
  ) {}

  async apply(message: OutboxRow): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.log.push({ id: message.id, aggregateId: message.aggregateId, by: this.by });
  }
}

/** Two dispatchers (two gateways) draining one outbox: every row applied once, each aggregate in order. */
describe.each(testDatabases())('outbox claims on $name', (database) => {
  let first: DataSource;
  let second: DataSource;

  beforeAll(async () => {
    const target = await database.create();
    first = await openDatabase(target);
    // Over a Postgres server the second dispatcher has its own connections, as another gateway would.
    second = target.kind === 'postgres' ? await openDatabase(target, { migrate: false }) : first;
  });
  afterAll(async () => {
    if (second && second !== first) await closeDatabase(second);
    if (first) await closeDatabase(first);
    await database.drop();
  });

  it('applies each row exactly once across two dispatchers, keeping each aggregate in order', async () => {
    const rows = 240;
    await first.query(
      `INSERT INTO outbox (target, topic, aggregate_id, payload)
       SELECT 'recorded', 'test', 'item-' || (n % 12), jsonb_build_object('n', n) FROM generate_series(1, $1) AS n`,
      [rows],
    );
    const log: { id: string; aggregateId: string; by: string }[] = [];
    const dispatchers = [
      new OutboxDispatcher(first, new RecordingProjection(log, 'a'), { batch: 10 }),
      new OutboxDispatcher(second, new RecordingProjection(log, 'b'), { batch: 10 }),
    ];
    // Each drains until nothing is left for it; rows the other holds are skipped, not waited for.
    for (let round = 0; round < 50 && (await dispatchers[0].pending()) > 0; round++) {
      await Promise.all(dispatchers.map((d) => d.drain()));
    }

    expect(await dispatchers[0].pending()).toBe(0);
    const ids = log.map((entry) => entry.id);
    expect(ids).toHaveLength(rows);
    expect(new Set(ids).size).toBe(rows);
    // Both did work (otherwise this proves nothing about sharing).
    expect(new Set(log.map((entry) => entry.by))).toEqual(new Set(['a', 'b']));
    for (let aggregate = 0; aggregate < 12; aggregate++) {
      const order = log.filter((e) => e.aggregateId === `item-${aggregate}`).map((e) => Number(e.id));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
    const [{ attempts }] = await first.query(`SELECT max(attempts)::int AS attempts FROM outbox`);
    expect(attempts).toBe(1);
  });

  it('a claim left by a dispatcher that died is taken over once its lease ends', async () => {
    await first.query(`INSERT INTO outbox (target, topic, aggregate_id, payload) VALUES ('recorded', 't', 'x', '{}')`);
    await first.query(`UPDATE outbox SET claimed_until = now() + interval '1 hour' WHERE processed_at IS NULL`);
    const log: { id: string; aggregateId: string; by: string }[] = [];
    const dispatcher = new OutboxDispatcher(second, new RecordingProjection(log, 'b'));
    expect(await dispatcher.drain()).toEqual({ applied: 0, failed: 0 });
    await first.query(`UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE processed_at IS NULL`);
    expect(await dispatcher.drain()).toEqual({ applied: 1, failed: 0 });
    expect(log).toHaveLength(1);
  });
});
