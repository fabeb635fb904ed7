import { connectChat, type ChatClient } from '../support/chat-client';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { startStreamingEngine, type StreamingEngineServer } from '../support/streaming-engine-server';
import { queryOnce } from '../support/query-once';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { testDatabases } from '../support/test-databases';
import { startThrowawayCluster, type ThrowawayCluster } from '../support/throwaway-cluster';

/**
 * Faults with real processes and real Postgres (the in-process cases are in faults.e2e-spec.ts,
 * the lease rules in reply-lease.e2e-spec.ts, two gateways in test/platform/many-gateways).
 */
describe('faults with real gateway processes', () => {
  const clients: ChatClient[] = [];
  const gateways: GatewayProcess[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const gateway of gateways.splice(0)) await gateway.kill();
  });

  describe('kill -9 mid-reply (Postgres server)', () => {
    const database = testDatabases()[1];
    let engine: StreamingEngineServer;
    let url: string;
    beforeAll(async () => {
      const target = await database.create();
      if (target.kind !== 'postgres') throw new Error('expected the Postgres server');
      url = target.url;
      // 40 pieces 60 ms apart: the reply is still streaming 1.5 s in, after a progress save (every second).
      engine = await startStreamingEngine(
        Array.from({ length: 40 }, (_, i) => `第${i}句。`),
        { intervalMs: 60 },
      );
    });
    afterAll(async () => {
      await engine?.close();
      await database.drop();
    });

    it('the reply is stored interrupted with the text streamed so far; after a restart the client resumes and asks again', async () => {
      const env = { DATABASE_URL: url, ZHIBING_ENGINE: 'remote', ZHIBING_REMOTE_URL: engine.url };
      const first = await startGatewayProcess(env);
      gateways.push(first);
      const client = await connectChat(first.url, { key: TEST_ADMIN_KEY });
      clients.push(client);
      const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
      const conversationId = data.conversationId as string;
      const accepted = await client.request('message', { conversationId, clientMessageId: 'k1', text: '你好' });
      const start = await client.waitFor('reply.start', (p) => p.replyTo === accepted.data.turnId);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await first.kill('SIGKILL');
      const seen = client.events
        .filter((e) => e.event === 'reply.delta' && e.payload.turnId === start.turnId)
        .map((e) => e.payload.text as string)
        .join('');
      expect(seen.length).toBeGreaterThan(0);
      expect(client.events.some((e) => e.event === 'reply.end' && e.payload.turnId === start.turnId)).toBe(false);

      // The dead writer's lease (30 s) is made to have run out rather than waited for.
      await queryOnce(
        url,
        `UPDATE turns SET heartbeat_at = now() - interval '2 minutes', created_at = now() - interval '2 minutes'
         WHERE id = $1`,
        [start.turnId],
      );
      const second = await startGatewayProcess(env);
      gateways.push(second);
      const [stored] = await queryOnce(url, `SELECT status, text FROM turns WHERE id = $1`, [start.turnId]);
      expect(stored.status).toBe('interrupted');
      // Saved as it streamed: what was stored is what the client had seen, or the part up to the last save.
      expect(stored.text.length).toBeGreaterThan(0);
      expect(seen.startsWith(stored.text)).toBe(true);

      const again = await connectChat(second.url, { key: TEST_ADMIN_KEY });
      clients.push(again);
      const resumed = await again.request('session.start', { personaId: 'hua-zhibing', conversationId });
      expect(resumed.data.history).toEqual([
        expect.objectContaining({ role: 'user', text: '你好', status: 'complete' }),
        expect.objectContaining({ id: start.turnId, status: 'interrupted', text: stored.text }),
      ]);
      // Resending the acknowledged message stores no second user turn and gets the full reply it lacked.
      const retried = await again.ask(conversationId, 'k1', '你好', 15_000);
      expect(retried.accepted.data).toMatchObject({ turnId: accepted.data.turnId, duplicate: true });
      expect(retried.end).toMatchObject({ finishReason: 'stop', text: expect.stringContaining('第39句。') });
    });
  });

  describe('Postgres stopped and started again mid-conversation (a cluster of the test’s own)', () => {
    let cluster: ThrowawayCluster;
    beforeAll(async () => {
      cluster = await startThrowawayCluster();
    });
    afterAll(() => cluster?.remove());

    it('while it is down messages are refused (typed, socket open, /health 503); once back the same gateway answers again', async () => {
      const gateway = await startGatewayProcess({ DATABASE_URL: cluster.url });
      gateways.push(gateway);
      const client = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
      clients.push(client);
      const { data } = await client.request('session.start', { personaId: 'front-desk' });
      const conversationId = data.conversationId as string;
      expect((await client.ask(conversationId, 'p1', '有停车场吗？')).end.finishReason).toBe('stop');

      cluster.stop();
      const refused = await client.request('message', { conversationId, clientMessageId: 'p2', text: '几点开门？' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'database_unavailable' } });
      expect(client.socket.connected).toBe(true);
      expect((await fetch(`${gateway.url}/health`)).status).toBe(503);

      cluster.start();
      // The pool reconnects on its own: the same message, sent again, is stored once and answered.
      const retried = await client.ask(conversationId, 'p2', '几点开门？', 15_000);
      expect(retried.accepted).toMatchObject({ ok: true, data: { duplicate: false } });
      expect(retried.end.finishReason).toBe('stop');
      expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
      const turns = await queryOnce(
        cluster.url,
        `SELECT role, status FROM turns WHERE conversation_id = $1 ORDER BY seq`,
        [conversationId],
      );
      expect(turns.map((t) => `${t.role}:${t.status}`)).toEqual([
        'user:complete',
        'persona:complete',
        'user:complete',
        'persona:complete',
      ]);
      expect(gateway.child.exitCode).toBeNull();
    });
  });
});
