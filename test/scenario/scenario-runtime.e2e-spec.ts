import { connectChat, type ChatClient } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';
import { keptDatabase, putScenarioPersona, testFlow } from './scenario-persona';

describe.each(testDatabases())('scenario runtime over socket.io on $name', (database) => {
  const kept = keptDatabase(database);
  let server: TestApp;
  const clients: ChatClient[] = [];
  const connect = async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestApp(kept);
    await putScenarioPersona(server.url, 'scenario-quick', testFlow(1));
    await putScenarioPersona(server.url, 'scenario-slow', testFlow(600));
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await kept.dropAll();
  });

  const stateOf = async (conversationId: string) =>
    (
      await server.dataSource.query(`SELECT scenario_state, scenario_due_at FROM conversations WHERE id = $1`, [
        conversationId,
      ])
    )[0];

  it('greets with the start phase, the prompt leads to the chat phase, the timer ends it with no message', async () => {
    const client = await connect();
    const started = await client.request('session.start', { personaId: 'scenario-quick' });
    expect(started.ok).toBe(true);
    const { conversationId, greeting, scenario } = started.data;
    expect(greeting).toBe('你好！请先简单介绍一下你自己。');
    expect(scenario).toEqual({ kind: 'chat', phase: 'intro', suggestions: [], ended: false });

    const intro = await client.ask(conversationId, 'm-1', '我叫张三，是一名工程师。');
    expect(intro.end.text).toBe('谢谢介绍。有什么问题可以问我，还剩 00:01。');
    const qa = await client.waitFor('scenario.state', (p) => p.conversationId === conversationId);
    expect(qa.scenario).toMatchObject({
      phase: 'qa',
      title: '答疑环节',
      suggestions: ['大厦几点开门？', '有停车场吗？'],
      endButton: '结束',
      ended: false,
      endsAt: expect.any(String),
    });
    const turns = await server.dataSource.query(
      `SELECT role, trace FROM turns WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );
    expect(turns[1].trace).toMatchObject({
      engine: 'scenario',
      scenario: { phase: 'qa', from: 'intro', to: 'qa', by: 'done' },
    });

    // No message: the countdown runs out and the persona says the end phase's line on its own.
    const ended = await client.waitFor(
      'scenario.state',
      (p) => p.conversationId === conversationId && p.scenario.ended,
      15_000,
    );
    expect(ended.scenario).toEqual({ kind: 'chat', phase: 'close', suggestions: [], ended: true });
    const line = await client.waitFor(
      'reply.end',
      (p) => p.conversationId === conversationId && p.text.startsWith('时间到了'),
      15_000,
    );
    expect(line.text).toBe('时间到了，谢谢你的参与，再见！');
    const stored = await stateOf(conversationId);
    expect(stored.scenario_due_at).toBeNull();
    expect(stored.scenario_state.path.map((p: { phase: string; by: string }) => `${p.phase}:${p.by}`)).toEqual([
      'intro:start',
      'qa:done',
      'close:timer',
    ]);

    // After the end, messages get the normal answer (from the front desk's knowledge), and nothing moves.
    const after = await client.ask(conversationId, 'm-2', '有停车场吗？');
    expect(after.end.text).toContain('停车场');
    expect((await stateOf(conversationId)).scenario_state.phase).toBe('close');
  }, 60_000);

  it('the chat phase answers from knowledge; a reconnect resumes the view; the end button ends it', async () => {
    const client = await connect();
    const { data } = await client.request('session.start', { personaId: 'scenario-slow' });
    const conversationId = data.conversationId;
    await client.ask(conversationId, 'm-1', '我是李四。');
    const answer = await client.ask(conversationId, 'm-2', '大厦几点开门？');
    expect(answer.end.text).toContain('八点');
    expect((await stateOf(conversationId)).scenario_state.phase).toBe('qa');

    // A reconnect (a new socket) resumes exactly: the same view, countdown included, and the turns.
    const again = await connect();
    const resumed = await again.request('session.start', { personaId: 'scenario-slow', conversationId });
    expect(resumed.data).toMatchObject({ resumed: true, scenario: { phase: 'qa', endButton: '结束', ended: false } });
    const stored = await stateOf(conversationId);
    expect(resumed.data.scenario.endsAt).toBe(stored.scenario_state.dueAt);
    expect(resumed.data.history.map((t: { role: string }) => t.role)).toEqual(['user', 'persona', 'user', 'persona']);

    const acted = await again.request('scenario.action', { conversationId, action: 'end' });
    expect(acted).toMatchObject({ ok: true, data: { scenario: { phase: 'close', ended: true } } });
    const line = await again.waitFor(
      'reply.end',
      (p) => p.conversationId === conversationId && p.text.startsWith('时间'),
    );
    expect(line.text).toBe('时间到了，谢谢你的参与，再见！');
    // The other socket in the room hears the same.
    await client.waitFor('scenario.state', (p) => p.conversationId === conversationId && p.scenario.ended);
    const persona = await server.dataSource.query(`SELECT reply_to, trace FROM turns WHERE id = $1`, [line.turnId]);
    expect(persona[0].trace.scenario).toEqual({ phase: 'close', from: 'qa', to: 'close', by: 'action' });
    expect(persona[0].reply_to).toBe(answer.accepted.data.turnId);
    expect((await stateOf(conversationId)).scenario_due_at).toBeNull();

    // Ended: another end or a form is refused by name, and nothing changes.
    const version = (await stateOf(conversationId)).scenario_state.version;
    const endAgain = await again.request('scenario.action', { conversationId, action: 'end' });
    expect(endAgain).toMatchObject({ ok: false, error: { code: 'scenario_phase_conflict' } });
    const form = await again.request('scenario.action', { conversationId, action: 'form', phase: 'qa', values: {} });
    expect(form).toMatchObject({ ok: false, error: { code: 'scenario_phase_conflict' } });
    expect((await stateOf(conversationId)).scenario_state.version).toBe(version);
  }, 60_000);

  it('the end intent in a message moves to the end phase, unanswered; bad actions are typed errors', async () => {
    const client = await connect();
    const { data } = await client.request('session.start', { personaId: 'scenario-slow' });
    await client.ask(data.conversationId, 'm-1', '我是王五');
    const bye = await client.ask(data.conversationId, 'm-2', '好的，那就结束吧');
    expect(bye.end.text).toBe('时间到了，谢谢你的参与，再见！');

    expect(
      await client.request('scenario.action', { conversationId: data.conversationId, action: 'jump' }),
    ).toMatchObject({ ok: false, error: { code: 'event_invalid' } });
    const plain = await client.request('session.start', { personaId: 'hua-zhibing' });
    expect(plain.data.scenario).toBeUndefined();
    expect(
      await client.request('scenario.action', { conversationId: plain.data.conversationId, action: 'end' }),
    ).toMatchObject({ ok: false, error: { code: 'scenario_not_found' } });
  }, 60_000);

  it('a widget key runs the scenario (session, end button); only admin keys watch for hand-off requests', async () => {
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const workspaces = (await (await fetch(`${server.url}/v1/workspaces`, { headers })).json()) as { id: string }[];
    const origin = 'https://shop.example';
    const created = await fetch(`${server.url}/v1/workspaces/${workspaces[0].id}/keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'widget',
        scope: 'widget',
        personaIds: ['scenario-slow'],
        allowedOrigins: [origin],
      }),
    });
    const { key } = (await created.json()) as { key: string };
    const visitor = await connectChat(server.url, { key, origin });
    clients.push(visitor);
    const { data } = await visitor.request('session.start', { personaId: 'scenario-slow' });
    expect(data.scenario).toMatchObject({ phase: 'intro' });
    const ended = await visitor.request('scenario.action', { conversationId: data.conversationId, action: 'end' });
    expect(ended).toMatchObject({ ok: true, data: { scenario: { phase: 'close', ended: true } } });
    // Before any message, the persona's line answers nobody's turn.
    const line = await visitor.waitFor('reply.start', (p) => p.conversationId === data.conversationId);
    expect(line.replyTo).toBeNull();
    await visitor.waitFor('reply.end', (p) => p.turnId === line.turnId);
    expect(await visitor.request('operator.watch', {})).toMatchObject({
      ok: false,
      error: { code: 'operator_forbidden' },
    });
    const operator = await connect();
    expect(await operator.request('operator.watch', {})).toEqual({ ok: true, data: { watching: true } });
    // An action needs the session: another socket cannot act on a conversation it has not joined.
    expect(
      await operator.request('scenario.action', { conversationId: data.conversationId, action: 'end' }),
    ).toMatchObject({ ok: false, error: { code: 'session_required' } });
  });

  it('no timer fires while an operator holds the conversation; after the hand-back it does', async () => {
    const client = await connect();
    const { data } = await client.request('session.start', { personaId: 'scenario-quick' });
    const conversationId = data.conversationId;
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const post = (what: string, body?: unknown) =>
      fetch(`${server.url}/v1/conversations/${conversationId}/${what}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body ?? {}),
      });
    expect((await post('takeover', { operatorName: '王经理' })).status).toBe(200);
    // Taken over before the prompt was answered: the message is the operator's, nothing moves.
    await client.request('message', { conversationId, clientMessageId: 'm-1', text: '我是孙八' });
    expect((await stateOf(conversationId)).scenario_state.phase).toBe('intro');
    expect((await post('handback')).status).toBe(200);
    await client.ask(conversationId, 'm-2', '我是孙八');
    expect((await stateOf(conversationId)).scenario_state.phase).toBe('qa');
    expect((await post('takeover', { operatorName: '王经理' })).status).toBe(200);
    // The 1 s countdown runs out while the person answers: it waits.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await stateOf(conversationId)).scenario_state).toMatchObject({ phase: 'qa', ended: false });
    expect((await post('handback')).status).toBe(200);
    await client.waitFor('scenario.state', (p) => p.conversationId === conversationId && p.scenario.ended, 15_000);
    expect((await stateOf(conversationId)).scenario_state.path.at(-1)).toMatchObject({ phase: 'close', by: 'timer' });
  }, 60_000);

  it('a gateway restart keeps the state and its pending timer, which fires on the new gateway', async () => {
    await putScenarioPersona(server.url, 'scenario-restart', testFlow(4));
    const client = await connect();
    const { data } = await client.request('session.start', { personaId: 'scenario-restart' });
    const conversationId = data.conversationId;
    await client.ask(conversationId, 'm-1', '我是赵六');
    const before = (await stateOf(conversationId)).scenario_state;
    expect(before.phase).toBe('qa');
    client.close();
    await server.app.close();

    server = await startTestApp(kept);
    const again = await connect();
    const resumed = await again.request('session.start', { personaId: 'scenario-restart', conversationId });
    // The timer may have fired while the client reconnected: then the resume shows the end already.
    if (!resumed.data.scenario.ended) {
      expect(resumed.data.scenario).toMatchObject({ phase: 'qa', endsAt: before.dueAt });
      await again.waitFor('scenario.state', (p) => p.conversationId === conversationId && p.scenario.ended, 15_000);
    }
    // The persona's line is a turn of its own, streamed after the state changed: wait until it is stored.
    for (let waited = 0; waited < 15_000; waited += 50) {
      const [line] = await server.dataSource.query(
        `SELECT 1 FROM turns
         WHERE conversation_id = $1 AND role = 'persona' AND status = 'complete' AND text LIKE '时间到了%'`,
        [conversationId],
      );
      if (line) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const last = await again.request('session.start', { personaId: 'scenario-restart', conversationId });
    expect(last.data.scenario).toMatchObject({ phase: 'close', ended: true });
    expect(last.data.history.at(-1)).toMatchObject({ role: 'persona', text: '时间到了，谢谢你的参与，再见！' });
    const path = (await stateOf(conversationId)).scenario_state.path;
    expect(path.map((p: { by: string }) => p.by)).toEqual(['start', 'done', 'timer']);
  }, 90_000);
});

describe('scenario actions from a widget key count against its message limit (PGlite)', () => {
  const database = testDatabases()[0];
  let server: TestApp;
  afterAll(async () => {
    await server?.close();
  });

  it('past the limit an action is refused as message_rate_limited and changes nothing', async () => {
    server = await startTestApp(database, { ZHIBING_LIMIT_WIDGET_MESSAGES: '2' });
    await putScenarioPersona(server.url, 'scenario-limited', testFlow(600));
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const [workspace] = (await (await fetch(`${server.url}/v1/workspaces`, { headers })).json()) as { id: string }[];
    const origin = 'https://shop.example';
    const created = await fetch(`${server.url}/v1/workspaces/${workspace.id}/keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'w', scope: 'widget', personaIds: ['scenario-limited'], allowedOrigins: [origin] }),
    });
    const visitor = await connectChat(server.url, { key: ((await created.json()) as { key: string }).key, origin });
    try {
      const { data } = await visitor.request('session.start', { personaId: 'scenario-limited' });
      const { conversationId } = data;
      await visitor.ask(conversationId, 'm-1', '我是访客');
      const form = { conversationId, action: 'form', phase: 'intro', values: {} };
      // The second use of the limit: refused by the scenario (the phase moved on), still counted.
      expect(await visitor.request('scenario.action', form)).toMatchObject({
        ok: false,
        error: { code: 'scenario_phase_conflict' },
      });
      expect(await visitor.request('scenario.action', { conversationId, action: 'end' })).toMatchObject({
        ok: false,
        error: { code: 'message_rate_limited' },
      });
      const [row] = await server.dataSource.query(`SELECT scenario_state FROM conversations WHERE id = $1`, [
        conversationId,
      ]);
      expect(row.scenario_state).toMatchObject({ phase: 'qa', ended: false });
    } finally {
      visitor.close();
    }
  });
});
