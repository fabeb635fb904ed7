import { Client, Pool } from 'pg';
import { type ClusterMessage, OrderedPublisher } from '../../apps/gateway/src/realtime/ordered-publisher';
import { testDatabases } from '../support/test-databases';

/** What other gateways hear: NOTIFYs on one LISTEN connection of the Postgres server. */
describe('socket.io events to other gateways (OrderedPublisher over Postgres NOTIFY)', () => {
  const database = testDatabases()[1];
  let url: string;
  let pool: Pool;
  let listener: Client;
  const heard: ClusterMessage[] = [];

  beforeAll(async () => {
    const target = await database.create();
    if (target.kind !== 'postgres') throw new Error('expected the Postgres server');
    url = target.url;
    pool = new Pool({ connectionString: url, max: 4 });
    listener = new Client({ connectionString: url });
    await listener.connect();
    listener.on('notification', (n) => heard.push(JSON.parse(n.payload!) as ClusterMessage));
    await listener.query('LISTEN "socket.io#/chat"');
  });
  afterAll(async () => {
    await listener?.end();
    await pool?.end();
    await database.drop();
  });

  it('delivers a burst in emission order, many per round trip, and hands big ones to the attachment path in place', async () => {
    const large: ClusterMessage[] = [];
    const errors: Error[] = [];
    const publisher = new OrderedPublisher(
      pool,
      'socket.io',
      async (message) => {
        large.push(message);
        // The adapter's own path notifies a reference to the stored attachment.
        await pool.query(`SELECT pg_notify('socket.io#/chat', $1)`, [
          JSON.stringify({ nsp: '/chat', n: message.n, big: true }),
        ]);
      },
      (error) => errors.push(error),
    );
    let queries = 0;
    const query = pool.query.bind(pool);
    pool.query = ((...args: Parameters<Pool['query']>) => {
      queries++;
      return query(...args);
    }) as Pool['query'];
    for (let n = 0; n < 500; n++) {
      publisher.publish({ nsp: '/chat', n, text: n === 250 ? 'x'.repeat(9000) : `第${n}段` });
    }
    for (let waited = 0; heard.length < 500 && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(errors).toEqual([]);
    expect(heard.map((m) => m.n)).toEqual(Array.from({ length: 500 }, (_, n) => n));
    expect(large.map((m) => m.n)).toEqual([250]);
    expect(heard[250]).toMatchObject({ big: true });
    // Batched: far fewer round trips than events.
    expect(queries).toBeLessThan(50);
  });

  it('while the database is unreachable, publishing neither throws nor blocks; the failure is reported', async () => {
    const dead = new Pool({ connectionString: url.replace(/:\d+\//, ':1/'), connectionTimeoutMillis: 500 });
    const errors: { error: Error; dropped: number }[] = [];
    const publisher = new OrderedPublisher(
      dead,
      'socket.io',
      async () => undefined,
      (error, { dropped }) => errors.push({ error, dropped }),
    );
    const started = performance.now();
    for (let n = 0; n < 10; n++) publisher.publish({ nsp: '/chat', n });
    expect(performance.now() - started).toBeLessThan(50);
    for (let waited = 0; errors.length === 0 && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(errors[0].dropped).toBe(10);
    await dead.end();
  });
});
