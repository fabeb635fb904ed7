import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { connectChat } from '../support/chat-client';
import { startStreamingEngine, type StreamingEngineServer } from '../support/streaming-engine-server';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('faults lose no accepted data, on $name', (database) => {
  let engine: StreamingEngineServer;
  let server: TestApp;

  beforeAll(async () => {
    // Streams two pieces, then dies mid-reply.
    engine = await startStreamingEngine(['让我想', '想……'], { dieAfter: true });
    server = await startTestApp(database, { ZHIBING_ENGINE: 'remote', ZHIBING_REMOTE_URL: engine.url });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
  });

  it('an engine that dies mid-reply: the user turn stays, the partial reply is stored as failed, the client gets an error, and the next message works', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
      const accepted = await client.request('message', {
        conversationId: data.conversationId,
        clientMessageId: 'f1',
        text: '谷爱凌是谁？',
      });
      expect(accepted.ok).toBe(true);
      const end = await client.waitFor('reply.end', (p) => p.conversationId === data.conversationId);
      expect(end).toMatchObject({ finishReason: 'error', text: '让我想想……' });
      expect((await client.waitFor('error')).code).toBe('reply_failed');

      const turns = await server.dataSource.query(
        `SELECT role, status, text, error FROM turns WHERE conversation_id = $1 ORDER BY seq`,
        [data.conversationId],
      );
      expect(turns).toEqual([
        { role: 'user', status: 'complete', text: '谷爱凌是谁？', error: null },
        {
          role: 'persona',
          status: 'failed',
          text: '让我想想……',
          error: expect.objectContaining({ code: expect.stringMatching(/^engine_/) }),
        },
      ]);
      expect(client.socket.connected).toBe(true);
      expect(
        (
          await client.request('message', {
            conversationId: data.conversationId,
            clientMessageId: 'f2',
            text: '还在吗？',
          })
        ).ok,
      ).toBe(true);
      await client.waitFor('reply.end', (p) => p.conversationId === data.conversationId && p.turnId !== end.turnId);
    } finally {
      client.close();
    }
  });
});

describe('the database going away (Postgres server)', () => {
  const database = testDatabases()[1];
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp(database);
  });
  afterAll(async () => {
    await server?.close().catch(() => undefined);
  });

  it('a message that cannot be stored is not acknowledged: a typed error, the socket stays, /health says down', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'front-desk' });
      // The database disappears under the running gateway.
      await database.drop();
      const answer = await client.request('message', {
        conversationId: data.conversationId,
        clientMessageId: 'lost?',
        text: '有停车场吗？',
      });
      expect(answer).toMatchObject({ ok: false, error: { code: 'database_unavailable' } });
      expect(client.socket.connected).toBe(true);
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(503);
      const report = await health.json();
      expect(report).toMatchObject({ status: 'down', database: { reachable: false } });
      // Public: what is wrong, not the raw error (no addresses, no SQL).
      expect(JSON.stringify(report)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminat|relation|SELECT/i);
      const rest = await fetch(`${server.url}/v1/personas`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
      expect(rest.status).toBe(503);
      expect(await rest.json()).toMatchObject({ code: 'database_unavailable' });
    } finally {
      client.close();
    }
  });
});
