import { ensureWorkspace } from '@zhibing/storage';
import { ApiKeysService } from '../../apps/gateway/src/auth/api-keys.service';
import { connectChat } from '../support/chat-client';
import { QueryCounter } from '../support/query-counter';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Verifying a key (each socket connect, each admin request) reads; its last use is written later, in batches. */
describe.each(testDatabases())('API keys: last use written at most once per key per interval, on $name', (database) => {
  let server: TestApp;
  let counter: QueryCounter;
  let workspaceId: string;

  beforeAll(async () => {
    server = await startTestApp(database);
    counter = new QueryCounter(server.dataSource);
    workspaceId = await ensureWorkspace(server.dataSource);
  });
  afterAll(async () => {
    counter?.detach();
    await server?.close();
  });

  const lastUsed = async (keyId: string): Promise<Date | null> =>
    (await server.dataSource.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [keyId]))[0].last_used_at;

  it('a socket connecting only reads: no statement on the connect path writes', async () => {
    const { statements, result: client } = await counter.during(async () => {
      const connected = await connectChat(server.url, { key: TEST_ADMIN_KEY });
      // The key is checked after the handshake: a request waits for that check.
      await connected.request('reply.cancel', { turnId: '00000000-0000-4000-8000-000000000000' });
      return connected;
    });
    client.close();
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((sql) => !/^SELECT\b/i.test(sql))).toEqual([]);
  });

  it('writes each key once per interval, every key in one statement, and shows uses meanwhile', async () => {
    const keys = new ApiKeysService(server.dataSource, 400);
    const a = await keys.create(workspaceId, { name: 'a', scope: 'admin', personaIds: [], allowedOrigins: [] });
    const b = await keys.create(workspaceId, { name: 'b', scope: 'widget', personaIds: [], allowedOrigins: ['*'] });
    const verified = await counter.during(async () => {
      for (let i = 0; i < 10; i++) {
        expect(await keys.verify(a.key)).toMatchObject({ keyId: a.id });
        expect(await keys.verify(b.key)).toMatchObject({ keyId: b.id });
      }
    });
    expect(verified.statements).toHaveLength(20);
    expect(verified.statements.every((sql) => sql.startsWith('SELECT'))).toBe(true);
    expect(await lastUsed(a.id)).toBeNull();
    // This process's listing shows the use it noted before it is written.
    const listed = await keys.list(workspaceId);
    expect(listed.find((k) => k.id === a.id)?.lastUsedAt).not.toBeNull();

    const flushed = await counter.during(() => wait(800));
    expect(flushed.statements.filter((sql) => sql.startsWith('UPDATE api_keys'))).toHaveLength(1);
    const [usedA, usedB] = [await lastUsed(a.id), await lastUsed(b.id)];
    expect(usedA).toBeInstanceOf(Date);
    expect(usedB).toBeInstanceOf(Date);
    // Nothing noted since: nothing more is written.
    const idle = await counter.during(() => wait(600));
    expect(idle.statements.filter((sql) => sql.includes('api_keys'))).toEqual([]);
  });

  it('writes what was noted and not yet written at shutdown', async () => {
    const keys = new ApiKeysService(server.dataSource, 3_600_000);
    const c = await keys.create(workspaceId, { name: 'c', scope: 'admin', personaIds: [], allowedOrigins: [] });
    await keys.verify(c.key);
    expect(await lastUsed(c.id)).toBeNull();
    await keys.beforeApplicationShutdown();
    expect(await lastUsed(c.id)).toBeInstanceOf(Date);
  });
});
