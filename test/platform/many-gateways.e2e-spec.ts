import { Client } from 'pg';
import { connectChat } from '../support/chat-client';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { testDatabases } from '../support/test-databases';
import { twoGateways } from '../support/two-gateways';

/** Redis the way CI's machine runs it (TEST_REDIS_URL overrides). */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two gateway processes over one Postgres database share socket.io rooms (Postgres or Redis adapter). */
describe.each([
  ['Postgres LISTEN/NOTIFY', {}],
  ['Redis pub/sub (REDIS_URL)', { REDIS_URL: redisUrl }],
])('two gateways over one Postgres database, rooms shared through %s', (_, env: Record<string, string>) => {
  const gateways = twoGateways(env);

  it('a reply produced on one gateway reaches a client of the same conversation connected to the other', async () => {
    // Past the start-up window (Postgres adapter): from here on they rely on having heard each other.
    if (!env.REDIS_URL) await gateways.settled();
    const onA = await connectChat(gateways.a.url, { key: TEST_ADMIN_KEY });
    const onB = await connectChat(gateways.b.url, { key: TEST_ADMIN_KEY });
    gateways.clients.push(onA, onB);
    const started = await onA.request('session.start', { personaId: 'hua-zhibing' });
    expect(started.ok).toBe(true);
    const conversationId = started.data.conversationId as string;
    // The same conversation resumed on the other gateway (another tab, or a reconnect elsewhere).
    expect((await onB.request('session.start', { personaId: 'hua-zhibing', conversationId })).ok).toBe(true);

    const asked = await onA.ask(conversationId, 'm1', '谷爱凌是谁？');
    expect(asked.end.finishReason).toBe('stop');
    // Emitted to the room by gateway A; B's client hears it through Postgres NOTIFY.
    const heard = await onB.waitFor('reply.end', (p) => p.turnId === asked.end.turnId);
    expect(heard.text).toBe(asked.end.text);
    // Deltas cross over in order: joined, they are the reply.
    const crossed = onB.events.filter((e) => e.event === 'reply.delta' && e.payload.turnId === asked.end.turnId);
    expect(crossed.length).toBeGreaterThan(1);
    expect(crossed.map((e) => e.payload.text).join('')).toBe(asked.deltas.join(''));
    expect(onB.events.filter((e) => e.event === 'reply.start' && e.payload.turnId === asked.start.turnId)).toHaveLength(
      1,
    );

    // And the other way round: B serves a message, A's client gets the reply once.
    const fromB = await onB.ask(conversationId, 'm2', '她拿过什么奖？');
    const heardOnA = await onA.waitFor('reply.end', (p) => p.turnId === fromB.end.turnId);
    expect(heardOnA.text).toBe(fromB.end.text);
    expect(onA.events.filter((e) => e.event === 'reply.end' && e.payload.turnId === fromB.end.turnId)).toHaveLength(1);
  });

  it('both gateways serve their own chats', async () => {
    for (const gateway of [gateways.a, gateways.b]) {
      const client = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
      gateways.clients.push(client);
      const { data } = await client.request('session.start', { personaId: 'front-desk' });
      const { end } = await client.ask(data.conversationId, 'hello', '有停车场吗？');
      expect(end.finishReason).toBe('stop');
      expect(end.text.length).toBeGreaterThan(0);
    }
  });

  it('persona saves and messages at once on both gateways: every save its own version, every message one reply', async () => {
    const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const current = (await (await fetch(`${gateways.a.url}/v1/personas/interviewer`, { headers: admin })).json()) as {
      persona: Record<string, unknown>;
      version: number;
    };
    const chats = await Promise.all(
      [gateways.a, gateways.b, gateways.a, gateways.b].map(async (gateway) => {
        const client = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
        gateways.clients.push(client);
        const { data } = await client.request('session.start', { personaId: 'front-desk' });
        return { client, conversationId: data.conversationId as string };
      }),
    );
    const [saves, replies] = await Promise.all([
      Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          fetch(`${[gateways.a, gateways.b][i % 2].url}/v1/personas/interviewer`, {
            method: 'PUT',
            headers: admin,
            body: JSON.stringify({ ...current.persona, greeting: `你好，第${i}位候选人。` }),
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as { version: number } })),
        ),
      ),
      // A newer message in a conversation supersedes its reply in flight: each conversation asks in turn.
      Promise.all(
        chats.map(async ({ client, conversationId }, c) => {
          const asked = [];
          for (const m of [0, 1, 2])
            asked.push(await client.ask(conversationId, `c${c}m${m}`, m === 1 ? '几点开门？' : '有停车场吗？'));
          return asked;
        }),
      ).then((perChat) => perChat.flat()),
    ]);
    expect(saves.map((s) => s.status).every((status) => status === 200 || status === 201)).toBe(true);
    expect(new Set(saves.map((s) => s.body.version))).toEqual(
      new Set(Array.from({ length: 8 }, (_, i) => current.version + 1 + i)),
    );
    expect(replies.every((r) => r.accepted.ok && r.end.finishReason === 'stop')).toBe(true);
    for (const { client, conversationId } of chats) {
      const ends = client.events.filter((e) => e.event === 'reply.end' && e.payload.conversationId === conversationId);
      expect(ends).toHaveLength(3);
    }
  });
});

describe('a lone gateway on Postgres', () => {
  const database = testDatabases()[1];
  let gateway: GatewayProcess | undefined;
  let listener: Client | undefined;
  afterAll(async () => {
    await listener?.end();
    await gateway?.kill('SIGTERM');
    await database.drop();
  });

  it('sends no NOTIFY per event once it has heard no other gateway (only heartbeats)', async () => {
    const target = await database.create();
    if (target.kind !== 'postgres') throw new Error('expected the Postgres server');
    gateway = await startGatewayProcess({ DATABASE_URL: target.url });
    listener = new Client({ connectionString: target.url });
    await listener.connect();
    const types: number[] = [];
    listener.on('notification', (n) => types.push((JSON.parse(n.payload!) as { type: number }).type));
    await listener.query('LISTEN "socket.io#/chat"');
    // Past the start-up window in which it publishes everything (it may not have heard the others yet).
    await new Promise((resolve) => setTimeout(resolve, 6500));
    const client = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'front-desk' });
      const { end } = await client.ask(data.conversationId, 'alone', '有停车场吗？');
      expect(end.finishReason).toBe('stop');
    } finally {
      client.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    // socket.io-adapter's MessageType.BROADCAST = 3; heartbeats (2) still go out.
    expect(types.filter((type) => type === 3)).toEqual([]);
  });
});
