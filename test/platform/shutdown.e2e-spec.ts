import { Client } from 'pg';
import { connectChat, type ChatClient } from '../support/chat-client';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { startStreamingEngine, type StreamingEngineServer } from '../support/streaming-engine-server';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { testDatabases } from '../support/test-databases';
import { openUnresponsiveWebsocket } from '../support/unresponsive-websocket';

/**
 * SIGTERM on a real gateway process with a reply streaming and a client that never answers:
 * the gateway stops accepting, lets the reply finish within the grace (or interrupts it with its
 * text stored), tells its sockets why, and exits within a bounded time.
 */
describe('graceful shutdown (SIGTERM, a real gateway over Postgres)', () => {
  const database = testDatabases()[1];
  let url: string;
  let engine: StreamingEngineServer;
  let gateway: GatewayProcess | undefined;
  let client: ChatClient | undefined;

  beforeAll(async () => {
    const target = await database.create();
    if (target.kind !== 'postgres') throw new Error('expected the Postgres server');
    url = target.url;
    // A reply of 30 pieces, 50 ms apart: about 1.5 s.
    engine = await startStreamingEngine(
      Array.from({ length: 30 }, (_, i) => `第${i}句。`),
      { intervalMs: 50 },
    );
  });
  afterEach(async () => {
    client?.close();
    await gateway?.kill();
  });
  afterAll(async () => {
    await engine?.close();
    await database.drop();
  });

  async function streamingThenSigterm(graceMs: number) {
    gateway = await startGatewayProcess({
      DATABASE_URL: url,
      ZHIBING_ENGINE: 'remote',
      ZHIBING_REMOTE_URL: engine.url,
      ZHIBING_SHUTDOWN_GRACE_MS: String(graceMs),
    });
    client = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
    const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
    const accepted = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'a',
      text: '你好',
    });
    const start = await client.waitFor('reply.start', (p) => p.replyTo === accepted.data.turnId);
    await client.waitFor('reply.delta', (p) => p.turnId === start.turnId);
    const stuck = await openUnresponsiveWebsocket(gateway.port);
    const disconnected = new Promise<string>((resolve) => client!.socket.once('disconnect', resolve));
    const signalled = Date.now();
    gateway.child.kill('SIGTERM');
    // Sent while the gateway drains: refused, typed, nothing stored.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const late = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'b',
      text: '还在吗',
    });
    const end = await client.waitFor('reply.end', (p) => p.turnId === start.turnId, 15_000);
    const reason = await disconnected;
    const exit = await gateway.exited;
    const exitMs = Date.now() - signalled;
    stuck.destroy();
    const db = new Client({ connectionString: url });
    await db.connect();
    const turns = (
      await db.query(
        `SELECT role, status, text, client_message_id FROM turns WHERE conversation_id = $1 ORDER BY seq`,
        [data.conversationId],
      )
    ).rows;
    await db.end();
    const seen = client.events
      .filter((e) => e.event === 'reply.delta' && e.payload.turnId === start.turnId)
      .map((e) => e.payload.text as string)
      .join('');
    return { late, end, reason, exit, exitMs, turns, seen, errors: client.events.filter((e) => e.event === 'error') };
  }

  it('a reply that fits the grace finishes; new messages are refused; sockets are told why; the process ends at once after', async () => {
    const outcome = await streamingThenSigterm(10_000);
    expect(outcome.late).toMatchObject({ ok: false, error: { code: 'gateway_unavailable' } });
    expect(outcome.end.finishReason).toBe('stop');
    expect(outcome.end.text).toContain('第29句。');
    expect(outcome.errors.map((e) => e.payload.code)).toContain('gateway_unavailable');
    expect(outcome.reason).toBe('io server disconnect');
    expect(outcome.turns).toEqual([
      expect.objectContaining({ role: 'user', status: 'complete', client_message_id: 'a' }),
      expect.objectContaining({ role: 'persona', status: 'complete', text: outcome.end.text }),
    ]);
    // The reply's ~1.5 s, not ws's 30 s wait for the client that never answers.
    expect(outcome.exitMs).toBeLessThan(8000);
    expect(outcome.exit.signal ?? outcome.exit.code).toBeTruthy();
  });

  it('a reply longer than the grace is interrupted with the text its client saw, and its lease released', async () => {
    const outcome = await streamingThenSigterm(200);
    expect(outcome.end.finishReason).toBe('interrupted');
    expect(outcome.turns[1]).toMatchObject({ role: 'persona', status: 'interrupted', text: outcome.end.text });
    expect(outcome.end.text.length).toBeGreaterThan(0);
    expect(outcome.end.text.startsWith(outcome.seen)).toBe(true);
    expect(outcome.exitMs).toBeLessThan(5000);
  });
});
