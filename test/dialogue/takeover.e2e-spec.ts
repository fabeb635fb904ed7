import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '@zhibing/storage';
import { type ChatClient, connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { type TestDatabase, testDatabases } from '../support/test-databases';

const ORIGIN = 'https://shop.example';

/** A database that outlives one gateway (a restart opens it again); PGlite on disk instead of in memory. */
function lasting(database: TestDatabase) {
  let target: Promise<DatabaseTarget> | undefined;
  let dir: string | undefined;
  const kept: TestDatabase = {
    name: database.name,
    create: () =>
      (target ??=
        database.name === 'pglite'
          ? Promise.resolve({ kind: 'pglite', dataDir: (dir = mkdtempSync(join(tmpdir(), 'zhibing-takeover-'))) })
          : database.create()),
    drop: async () => undefined,
  };
  return {
    kept,
    async dropForReal() {
      await database.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each(testDatabases())('operator take-over on $name', (database) => {
  const store = lasting(database);
  let server: TestApp;
  let visitor: ChatClient;
  let operator: ChatClient;
  let otherAdminKey: string;
  let conversationId: string;

  async function call(method: string, path: string, body?: unknown, key = TEST_ADMIN_KEY) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function createKey(scope: 'admin' | 'widget'): Promise<string> {
    const workspaces = (await call('GET', '/v1/workspaces')).body as { id: string; name: string }[];
    const id = workspaces.find((w) => w.name === 'default')!.id;
    const created = await call('POST', `/v1/workspaces/${id}/keys`, {
      name: `${scope} for take-over`,
      scope,
      ...(scope === 'widget' ? { personaIds: ['hua-zhibing'], allowedOrigins: [ORIGIN] } : {}),
    });
    return created.body.key;
  }

  const turns = async () =>
    (await call('GET', `/v1/conversations/${conversationId}`)).body.turns as {
      id: string;
      role: string;
      text: string;
      replyTo: string | null;
      trace: Record<string, any> | null;
    }[];

  /** Nothing the persona writes may follow `turnId` (the engine is not called while taken over). */
  async function expectNoReplyTo(turnId: string) {
    // Long enough for the retrieval responder to have opened and finished a reply (a few ms).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(visitor.events.filter((e) => e.event === 'reply.start' && e.payload.replyTo === turnId)).toEqual([]);
    expect((await turns()).filter((t) => t.replyTo === turnId)).toEqual([]);
  }

  beforeAll(async () => {
    server = await startTestApp(store.kept);
    otherAdminKey = await createKey('admin');
    visitor = await connectChat(server.url, { key: await createKey('widget'), origin: ORIGIN });
    const started = await visitor.request('session.start', { personaId: 'hua-zhibing', visitorId: 'v-takeover' });
    conversationId = started.data.conversationId;
    operator = await connectChat(server.url, { key: TEST_ADMIN_KEY });
  });
  afterAll(async () => {
    visitor?.close();
    operator?.close();
    await server?.close();
    await store.dropForReal();
  });

  it('an operator takes over: the visitor is told who, and a second operator is refused', async () => {
    await visitor.ask(conversationId, 'm-1', '谷爱凌是谁？');
    const joined = await operator.request('operator.join', { conversationId });
    expect(joined).toEqual({ ok: true, data: { conversationId, takeover: null } });

    const taken = await call('POST', `/v1/conversations/${conversationId}/takeover`, { operatorName: '李娜' });
    expect(taken).toMatchObject({ status: 200, body: { conversationId, operatorName: '李娜' } });
    const told = await visitor.waitFor('conversation.takeover');
    expect(told).toEqual({ conversationId, operatorName: '李娜', since: taken.body.since });

    const second = await call(
      'POST',
      `/v1/conversations/${conversationId}/takeover`,
      { operatorName: '王强' },
      otherAdminKey,
    );
    expect(second).toMatchObject({ status: 409, body: { code: 'takeover_conflict' } });
    const shown = (await call('GET', `/v1/conversations/${conversationId}`)).body;
    expect(shown.takeover).toMatchObject({ operatorName: '李娜', since: taken.body.since });
  });

  it("the visitor's message is stored and reaches the operator; the persona does not answer", async () => {
    const accepted = await visitor.request('message', { conversationId, clientMessageId: 'm-2', text: '我想找人工' });
    expect(accepted).toMatchObject({ ok: true, data: { duplicate: false } });
    const seen = await operator.waitFor('visitor.message', (p) => p.turnId === accepted.data.turnId);
    expect(seen).toMatchObject({ conversationId, text: '我想找人工' });
    expect(visitor.events.filter((e) => e.event === 'visitor.message')).toEqual([]);
    await expectNoReplyTo(accepted.data.turnId);
    // A retried send is stored once and still not answered by the persona.
    const retried = await visitor.request('message', { conversationId, clientMessageId: 'm-2', text: '我想找人工' });
    expect(retried.data).toEqual({ turnId: accepted.data.turnId, duplicate: true });
    await expectNoReplyTo(accepted.data.turnId);
  });

  it("the operator's answer reaches the visitor with the operator's name, once per clientMessageId", async () => {
    const sent = await operator.request('operator.message', {
      conversationId,
      clientMessageId: 'o-1',
      text: '您好，我是李娜，请讲。',
    });
    expect(sent).toMatchObject({ ok: true, data: { duplicate: false } });
    const end = await visitor.waitFor('reply.end', (p) => p.turnId === sent.data.turnId);
    expect(end).toMatchObject({ text: '您好，我是李娜，请讲。', from: { kind: 'operator', name: '李娜' } });
    const again = await operator.request('operator.message', {
      conversationId,
      clientMessageId: 'o-1',
      text: '您好，我是李娜，请讲。',
    });
    expect(again.data).toEqual({ turnId: sent.data.turnId, duplicate: true });
    const stored = (await turns()).filter((t) => t.trace?.operator);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ role: 'persona', text: '您好，我是李娜，请讲。' });
  });

  it('bad operator input gets typed errors and changes nothing', async () => {
    const before = await turns();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: [string, unknown, ChatClient, string][] = [
      [
        'operator.message',
        { conversationId: unknown, clientMessageId: 'x', text: 'hi' },
        operator,
        'conversation_not_found',
      ],
      ['operator.message', { conversationId, clientMessageId: 'x', text: '   ' }, operator, 'message_invalid'],
      ['operator.message', { conversationId, text: 'hi' }, operator, 'event_invalid'],
      ['operator.join', { conversationId: unknown }, operator, 'conversation_not_found'],
      // A widget key never acts as an operator.
      ['operator.message', { conversationId, clientMessageId: 'x', text: 'hi' }, visitor, 'operator_forbidden'],
    ];
    for (const [event, payload, client, code] of cases) {
      const refused = await client.request(event, payload);
      expect({ event, code: refused.error?.code }).toEqual({ event, code });
    }
    const other = await connectChat(server.url, { key: otherAdminKey });
    const notHolder = await other.request('operator.message', { conversationId, clientMessageId: 'x', text: 'hi' });
    expect(notHolder.error?.code).toBe('takeover_conflict');
    other.close();
    const rest: [string, unknown, number, string][] = [
      [`/v1/conversations/${unknown}/takeover`, { operatorName: '李娜' }, 404, 'conversation_not_found'],
      [`/v1/conversations/${conversationId}/takeover`, { operatorName: '' }, 400, 'validation_invalid'],
      [`/v1/conversations/${conversationId}/takeover`, {}, 400, 'validation_invalid'],
      [`/v1/conversations/${unknown}/handback`, undefined, 404, 'conversation_not_found'],
    ];
    for (const [path, body, status, code] of rest) {
      const refused = await call('POST', path, body);
      expect({ path, status: refused.status, code: refused.body?.code }).toEqual({ path, status, code });
    }
    expect(await turns()).toEqual(before);
    expect((await call('GET', `/v1/conversations/${conversationId}`)).body.takeover).toMatchObject({
      operatorName: '李娜',
    });
  });

  it('a restart keeps the take-over: the persona stays silent and the operator still answers', async () => {
    visitor.close();
    operator.close();
    await server.app.close();
    server = await startTestApp(store.kept);
    expect((await call('GET', `/v1/conversations/${conversationId}`)).body.takeover).toMatchObject({
      operatorName: '李娜',
    });
    visitor = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    const resumed = await visitor.request('session.start', { personaId: 'hua-zhibing', conversationId });
    expect(resumed.data.operator).toMatchObject({ name: '李娜' });
    expect(resumed.data.history).toContainEqual(
      expect.objectContaining({ text: '您好，我是李娜，请讲。', from: { kind: 'operator', name: '李娜' } }),
    );
    operator = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    expect((await operator.request('operator.join', { conversationId })).data.takeover).toMatchObject({
      operatorName: '李娜',
    });
    const asked = await visitor.request('message', {
      conversationId,
      clientMessageId: 'm-3',
      text: '谷爱凌参加过冬奥会吗？',
    });
    await operator.waitFor('visitor.message', (p) => p.turnId === asked.data.turnId);
    await expectNoReplyTo(asked.data.turnId);
    const answered = await operator.request('operator.message', {
      conversationId,
      clientMessageId: 'o-2',
      text: '参加过，她在北京冬奥会拿了两枚金牌。',
    });
    await visitor.waitFor('reply.end', (p) => p.turnId === answered.data.turnId && p.from?.name === '李娜');
  });

  it("hand back: the persona answers the next message with the operator's turn in its kept history", async () => {
    const back = await call('POST', `/v1/conversations/${conversationId}/handback`);
    expect(back).toMatchObject({ status: 200, body: { conversationId, handedBack: true } });
    await visitor.waitFor('conversation.handback', (p) => p.conversationId === conversationId);
    const again = await call('POST', `/v1/conversations/${conversationId}/handback`);
    expect(again).toMatchObject({ status: 409, body: { code: 'handback_conflict' } });
    const late = await operator.request('operator.message', { conversationId, clientMessageId: 'o-3', text: '还在吗' });
    expect(late.error?.code).toBe('takeover_required_conflict');

    const { end } = await visitor.ask(conversationId, 'm-4', '她拿了几枚金牌？');
    expect(end.from).toBeUndefined();
    const all = await turns();
    const reply = all.find((t) => t.id === end.turnId)!;
    const operatorTurns = all.filter((t) => t.trace?.operator).map((t) => t.id);
    expect(operatorTurns).toHaveLength(2);
    const kept = (reply.trace!.keptHistory as { turnId: string }[]).map((k) => k.turnId);
    // The exchange the operator closed (m-3 → o-2) is history like any other: the persona reads her words.
    expect(kept).toContain(operatorTurns[1]);
    expect(reply.trace!.engine).toBeDefined();
  });
});
