import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { connectChat } from '../support/chat-client';
import { startStreamingEngine, type StreamingEngineServer } from '../support/streaming-engine-server';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('whatever the engine emits, the reply ends and is stored, on $name', (database) => {
  let engine: StreamingEngineServer;
  let server: TestApp;

  beforeAll(async () => {
    // Emits what Postgres text cannot hold: U+0000, and a lone surrogate.
    engine = await startStreamingEngine(['你好\u0000', '世界\ud800', '！']);
    server = await startTestApp(database, { ZHIBING_ENGINE: 'remote', ZHIBING_REMOTE_URL: engine.url });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
  });

  it('a NUL and a lone surrogate from the engine: reply.end arrives, the stored reply is complete and valid text', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
      const { start, end } = await client.ask(data.conversationId, 'u1', '你好呀');
      expect(end.finishReason).toBe('stop');
      expect(end.text).not.toContain('\u0000');
      const [reply] = await server.dataSource.query(`SELECT status, text FROM turns WHERE id = $1`, [start.turnId]);
      expect(reply.status).toBe('complete');
      expect(reply.text).toBe('你好\uFFFD世界\uFFFD！');
    } finally {
      client.close();
    }
  });
});

describe.each(testDatabases())('a long reply is saved as it streams, on $name', (database) => {
  let engine: StreamingEngineServer;
  let server: TestApp;

  beforeAll(async () => {
    engine = await startStreamingEngine(['一', '二', '三', '四', '五', '六', '七', '八'], { intervalMs: 300 });
    server = await startTestApp(database, { ZHIBING_ENGINE: 'remote', ZHIBING_REMOTE_URL: engine.url });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
  });

  it('while still streaming, the stored reply already holds what the client has seen (a crash would keep it)', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
      const accepted = await client.request('message', {
        conversationId: data.conversationId,
        clientMessageId: 'long',
        text: '讲个长故事',
      });
      const start = await client.waitFor('reply.start', (p) => p.replyTo === accepted.data.turnId);
      await client.waitFor('reply.delta', (p) => p.turnId === start.turnId && p.seq === 5);
      const [midway] = await server.dataSource.query(`SELECT status, text FROM turns WHERE id = $1`, [start.turnId]);
      expect(midway.status).toBe('streaming');
      expect(midway.text.length).toBeGreaterThanOrEqual(3);
      expect('一二三四五六'.startsWith(midway.text)).toBe(true);
      await client.waitFor('reply.end', (p) => p.turnId === start.turnId);
    } finally {
      client.close();
    }
  });
});
