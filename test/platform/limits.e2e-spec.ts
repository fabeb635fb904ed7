import { connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

/**
 * Public traffic meets limits (wrong keys per client, widget sessions and messages per key and
 * client), and a public key can be taken back (revocation reaches open sockets).
 */
describe.each(testDatabases())('public keys: limits and revocation, on $name', (database) => {
  let server: TestApp;
  let widgetKey: string;
  let workspaceId: string;
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    server = await startTestApp(database, {
      ZHIBING_LIMIT_AUTH_FAILURES: '5',
      ZHIBING_LIMIT_WIDGET_SESSIONS: '3',
      ZHIBING_LIMIT_WIDGET_MESSAGES: '3',
      ZHIBING_KEY_RECHECK_MS: '200',
    });
    const workspaces = (await (await fetch(`${server.url}/v1/workspaces`, { headers: admin })).json()) as {
      id: string;
      name: string;
    }[];
    const id = workspaces.find((w) => w.name === 'default')!.id;
    const created = await fetch(`${server.url}/v1/workspaces/${id}/keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        name: 'site',
        scope: 'widget',
        personaIds: ['front-desk'],
        allowedOrigins: ['https://shop.example'],
      }),
    });
    widgetKey = ((await created.json()) as { key: string }).key;
    workspaceId = id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a widget visitor past the message limit gets message_rate_limited, stays connected, and nothing more is stored', async () => {
    const widget = await connectChat(server.url, { key: widgetKey, origin: 'https://shop.example' });
    try {
      const { data } = await widget.request('session.start', { personaId: 'front-desk' });
      const answers = [];
      for (let i = 0; i < 4; i++) {
        answers.push(
          await widget.request('message', {
            conversationId: data.conversationId,
            clientMessageId: `m${i}`,
            text: '有停车场吗？',
          }),
        );
      }
      expect(answers.map((a) => a.ok)).toEqual([true, true, true, false]);
      expect(answers[3].error).toMatchObject({
        code: 'message_rate_limited',
        message: expect.stringMatching(/try again in \d+ s/),
      });
      expect(widget.socket.connected).toBe(true);
      const users = await server.dataSource.query(
        `SELECT count(*)::int AS n FROM turns WHERE conversation_id = $1 AND role = 'user'`,
        [data.conversationId],
      );
      expect(users[0].n).toBe(3);
      // New sessions are counted too: two more fit (3 a minute), the next does not.
      const sessions = [];
      for (let i = 0; i < 3; i++) sessions.push(await widget.request('session.start', { personaId: 'front-desk' }));
      expect(sessions.map((s) => s.ok)).toEqual([true, true, false]);
      expect(sessions[2].error?.code).toBe('session_rate_limited');
    } finally {
      widget.close();
    }
  });

  it('an admin key is not limited', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'front-desk' });
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          client.request('message', { conversationId: data.conversationId, clientMessageId: `a${i}`, text: '你好' }),
        ),
      );
      expect(answers.every((a) => a.ok)).toBe(true);
    } finally {
      client.close();
    }
  });

  it('a widget key must name at least one persona (an empty list no longer means every persona)', async () => {
    const refused = await fetch(`${server.url}/v1/workspaces/${workspaceId}/keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'open', scope: 'widget', allowedOrigins: ['https://shop.example'] }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).issues).toEqual([expect.objectContaining({ path: 'personaIds' })]);
  });

  it('a key revoked while its socket is open stops working there, and the socket is closed', async () => {
    const created = await fetch(`${server.url}/v1/workspaces/${workspaceId}/keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        name: 'soon-gone',
        scope: 'widget',
        personaIds: ['front-desk'],
        allowedOrigins: ['https://shop.example'],
      }),
    });
    const { id, key } = (await created.json()) as { id: string; key: string };
    const widget = await connectChat(server.url, { key, origin: 'https://shop.example' });
    try {
      expect((await widget.request('session.start', { personaId: 'front-desk' })).ok).toBe(true);
      const revoked = await fetch(`${server.url}/v1/workspaces/${workspaceId}/keys/${id}`, {
        method: 'DELETE',
        headers: admin,
      });
      expect(revoked.status).toBe(204);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await widget.request('session.start', { personaId: 'front-desk' });
      expect(after).toMatchObject({
        ok: false,
        error: { code: 'auth_unauthorized', message: 'This API key was revoked' },
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(widget.socket.connected).toBe(false);
    } finally {
      widget.close();
    }
  });

  it('the socket endpoint never tells a browser to send credentials to another origin', async () => {
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(polling.status).toBe(200);
    expect(polling.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a client sending wrong keys is refused with 429 and Retry-After, then even with a good key', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await fetch(`${server.url}/v1/personas`, { headers: { authorization: 'Bearer zb_root_wrong' } })).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const refused = await fetch(`${server.url}/v1/personas`, { headers: admin });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'auth_rate_limited' });
    const socket = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    expect((await socket.waitFor('error')).code).toBe('auth_rate_limited');
    socket.close();
  });
});
