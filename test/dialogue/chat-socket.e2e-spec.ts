import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { connectChat, type ChatClient } from '../support/chat-client';
import { testDatabases } from '../support/test-databases';
import type { DialogueService } from '@zhibing/dialogue';
import { DIALOGUE } from '../../apps/gateway/src/chat/dialogue.provider';

const dialogueOf = (server: TestApp) => server.app.get<DialogueService>(DIALOGUE);

describe.each(testDatabases())('chat over socket.io on $name (retrieval responder)', (database) => {
  let server: TestApp;
  let client: ChatClient;

  beforeAll(async () => {
    server = await startTestApp(database);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  const turnsOf = (conversationId: string) =>
    server.dataSource.query(
      `SELECT seq, role, text, status, client_message_id, trace FROM turns WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    );

  it('华智冰 answers "谷爱凌是谁？" from her knowledge, streamed, and both turns are stored with a trace', async () => {
    client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    const started = await client.request('session.start', { personaId: 'hua-zhibing', visitorId: 'v-1' });
    expect(started).toMatchObject({
      ok: true,
      data: { persona: { id: 'hua-zhibing', name: '华智冰', version: 1 }, resumed: false, history: [] },
    });
    expect(started.data.greeting).toContain('华智冰');
    const conversationId = started.data.conversationId;

    const accepted = await client.request('message', { conversationId, clientMessageId: 'm-1', text: '谷爱凌是谁？' });
    expect(accepted).toMatchObject({ ok: true, data: { duplicate: false, turnId: expect.any(String) } });
    const end = await client.waitFor('reply.end', (p) => p.conversationId === conversationId);
    const deltas = client.events
      .filter((e) => e.event === 'reply.delta' && e.payload.turnId === end.turnId)
      .map((e) => e.payload);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i));
    expect(deltas.map((d) => d.text).join('')).toBe(end.text);
    expect(end.finishReason).toBe('stop');
    expect(end.text).toContain('自由式滑雪');
    expect(end.knowledge).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'qa', question: '谷爱凌是谁？' })]),
    );
    expect(client.events.filter((e) => e.event === 'avatar.state').map((e) => e.payload.state)).toEqual([
      'thinking',
      'speaking',
      'listening',
    ]);

    const turns = await turnsOf(conversationId);
    expect(turns.map((t: { role: string; status: string }) => [t.role, t.status])).toEqual([
      ['user', 'complete'],
      ['persona', 'complete'],
    ]);
    expect(turns[1].text).toBe(end.text);
    expect(turns[1].trace).toMatchObject({
      engine: 'retrieval',
      knowledge: expect.arrayContaining([
        expect.objectContaining({ question: '谷爱凌是谁？', parts: expect.any(Object) }),
      ]),
      timings: expect.objectContaining({ knowledgeMs: expect.any(Number), totalMs: expect.any(Number) }),
    });
  });

  it('华智冰 holds a conversation: each message gets its own grounded reply, an unknown one a fallback', async () => {
    const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
    const ask = async (i: number, text: string): Promise<string> =>
      (await client.ask(data.conversationId, `conv-${i}`, text)).end.text;
    const replies: string[] = [];
    for (const [i, text] of ['谷爱凌是谁？', '我想学滑雪', '冰墩墩是什么？', '你会弹钢琴吗？'].entries())
      replies.push(await ask(i, text));
    expect(new Set(replies).size).toBe(4);
    expect(replies[1]).toContain('初级道');
    expect(replies[2]).toContain('冰墩墩');
    const turns = await turnsOf(data.conversationId);
    const cases = turns
      .filter((t: { role: string }) => t.role === 'persona')
      .map((t: { trace: { grounding: { case: string } } }) => t.trace.grounding.case);
    expect(cases).toEqual(['knowledge', 'knowledge', 'knowledge', 'fallback']);
    expect(turns[turns.length - 1].trace.note).toContain('no generative model configured');
  });

  it('twenty messages sent at once to one conversation are all acknowledged, stored in order and answered', async () => {
    const { data } = await client.request('session.start', { personaId: 'front-desk' });
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.request('message', {
          conversationId: data.conversationId,
          clientMessageId: `burst-${i}`,
          text: `洗手间在哪里？${i}`,
        }),
      ),
    );
    expect(sent.every((answer) => answer.ok)).toBe(true);
    const last = await client.waitFor('reply.start', (p) => p.replyTo === sent[19].data.turnId);
    await client.waitFor('reply.end', (p) => p.turnId === last.turnId);
    await dialogueOf(server).whenIdle();
    const turns = await turnsOf(data.conversationId);
    expect(turns.map((t: { seq: number }) => t.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(turns.filter((t: { role: string }) => t.role === 'user')).toHaveLength(20);
    // Every message has its reply: complete, or interrupted by the next message (never left streaming).
    const replies = turns.filter((t: { role: string }) => t.role === 'persona');
    expect(replies).toHaveLength(20);
    expect(replies.every((t: { status: string }) => t.status === 'complete' || t.status === 'interrupted')).toBe(true);
  });

  it('the same clientMessageId with different text is message_conflict, and changes nothing', async () => {
    const { data } = await client.request('session.start', { personaId: 'front-desk' });
    const first = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'once',
      text: '有停车场吗？',
    });
    const other = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'once',
      text: '洗手间在哪？',
    });
    expect(other).toMatchObject({ ok: false, error: { code: 'message_conflict' } });
    const start = await client.waitFor('reply.start', (p) => p.replyTo === first.data.turnId);
    await client.waitFor('reply.end', (p) => p.turnId === start.turnId);
    const turns = await turnsOf(data.conversationId);
    expect(turns.filter((t: { role: string }) => t.role === 'user').map((t: { text: string }) => t.text)).toEqual([
      '有停车场吗？',
    ]);
  });

  it('a retried message whose reply never started is answered on the retry', async () => {
    const { data } = await client.request('session.start', { personaId: 'front-desk' });
    // The state a first attempt leaves when it fails right after storing the message.
    await dialogueOf(server).conversations.addUserTurn(data.conversationId, 'stranded', '有停车场吗？');
    const retried = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'stranded',
      text: '有停车场吗？',
    });
    expect(retried.data.duplicate).toBe(true);
    const start = await client.waitFor('reply.start', (p) => p.replyTo === retried.data.turnId);
    expect((await client.waitFor('reply.end', (p) => p.turnId === start.turnId)).text).toContain('停车');
  });

  it('a retried message whose reply was interrupted gets a new reply, unless newer turns followed', async () => {
    const { data } = await client.request('session.start', { personaId: 'front-desk' });
    const conversations = dialogueOf(server).conversations;
    // The state a crash mid-reply leaves (after the sweep): the message and a partial, interrupted reply.
    const { turn, reply } = await conversations.addMessage(data.conversationId, 'cut', '有停车场吗？');
    await conversations.closeReply(reply!.id, { text: '有', status: 'interrupted' });
    const retried = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'cut',
      text: '有停车场吗？',
    });
    expect(retried.data).toEqual({ turnId: turn.id, duplicate: true });
    const start = await client.waitFor('reply.start', (p) => p.replyTo === turn.id);
    expect(start.turnId).not.toBe(reply!.id);
    expect((await client.waitFor('reply.end', (p) => p.turnId === start.turnId)).text).toContain('停车');

    // Once the conversation has moved on, resending the old message changes nothing.
    await client.ask(data.conversationId, 'next', '几点开门？');
    await conversations.closeReply(start.turnId, { text: '有', status: 'failed' });
    const late = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'cut',
      text: '有停车场吗？',
    });
    expect(late.data).toEqual({ turnId: turn.id, duplicate: true });
    const turns = await turnsOf(data.conversationId);
    expect(turns.map((t: { role: string; status: string }) => `${t.role}:${t.status}`)).toEqual([
      'user:complete',
      'persona:interrupted',
      'persona:failed',
      'user:complete',
      'persona:complete',
    ]);
  });

  it('stores a retried clientMessageId once', async () => {
    const { data } = await client.request('session.start', { personaId: 'front-desk' });
    const first = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'same',
      text: '有停车场吗？',
    });
    const again = await client.request('message', {
      conversationId: data.conversationId,
      clientMessageId: 'same',
      text: '有停车场吗？',
    });
    expect(again.data).toEqual({ turnId: first.data.turnId, duplicate: true });
    await client.waitFor('reply.end', (p) => p.conversationId === data.conversationId);
    const turns = await turnsOf(data.conversationId);
    expect(turns.filter((t: { role: string }) => t.role === 'user')).toHaveLength(1);
    expect(turns.filter((t: { role: string }) => t.role === 'persona')).toHaveLength(1);
  });

  it('a client that disconnects mid-reply finds the reply on reconnect, nothing duplicated', async () => {
    const leaving = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    const { data } = await leaving.request('session.start', { personaId: 'hua-zhibing' });
    leaving.socket.emit('message', {
      conversationId: data.conversationId,
      clientMessageId: 'gone-1',
      text: '北京冬奥会是什么时候举办的？',
    });
    await leaving.waitFor('reply.start');
    leaving.close();

    const back = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      let resumed = await back.request('session.start', {
        personaId: 'hua-zhibing',
        conversationId: data.conversationId,
      });
      for (let i = 0; i < 50 && resumed.data.history.some((t: { status: string }) => t.status === 'streaming'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        resumed = await back.request('session.start', {
          personaId: 'hua-zhibing',
          conversationId: data.conversationId,
        });
      }
      expect(resumed.data.resumed).toBe(true);
      expect(resumed.data.history.map((t: { role: string }) => t.role)).toEqual(['user', 'persona']);
      const reply = resumed.data.history[1];
      expect(['complete', 'interrupted']).toContain(reply.status);
      if (reply.status === 'complete') expect(reply.text).toContain('2022');
    } finally {
      back.close();
    }
  });

  describe('bad input gets an error with a code, and the connection and data survive', () => {
    let conversationId: string;
    beforeAll(async () => {
      conversationId = (await client.request('session.start', { personaId: 'interviewer' })).data.conversationId;
    });

    it.each([
      [
        'oversized text',
        'message',
        () => ({ conversationId, clientMessageId: 'big', text: '长'.repeat(4001) }),
        'message_too_large',
      ],
      [
        'text far above the limit (300 KB, above the old frame cap)',
        'message',
        () => ({ conversationId, clientMessageId: 'huge', text: '长'.repeat(100_000) }),
        'message_too_large',
      ],
      ['empty text', 'message', () => ({ conversationId, clientMessageId: 'empty', text: '   ' }), 'message_invalid'],
      [
        'a NUL character',
        'message',
        () => ({ conversationId, clientMessageId: 'nul', text: '你好\u0000' }),
        'event_invalid',
      ],
      ['unknown persona', 'session.start', () => ({ personaId: 'nobody' }), 'persona_not_found'],
      [
        'a lone surrogate in the visitor id',
        'session.start',
        () => ({ personaId: 'interviewer', visitorId: 'v\ud800' }),
        'event_invalid',
      ],
      ['malformed event (not an object)', 'message', () => 'hello', 'event_invalid'],
      ['malformed event (missing fields)', 'message', () => ({ text: 'hi' }), 'event_invalid'],
      [
        'unknown conversation',
        'message',
        () => ({ conversationId: '00000000-0000-4000-8000-000000000000', clientMessageId: 'x', text: 'hi' }),
        'session_required',
      ],
    ])('%s', async (_label, event, payload, code) => {
      const errorsBefore = client.events.filter((e) => e.event === 'error').length;
      const answer = await client.request(event, payload());
      expect(answer).toMatchObject({ ok: false, error: { code } });
      const errors = client.events.filter((e) => e.event === 'error');
      expect(errors).toHaveLength(errorsBefore + 1);
      expect(errors[errors.length - 1].payload).toMatchObject({ code, message: expect.any(String) });
      expect(client.socket.connected).toBe(true);
    });

    it('stored nothing for the rejected messages, and still answers a good one', async () => {
      expect(await turnsOf(conversationId)).toEqual([]);
      const ok = await client.request('message', {
        conversationId,
        clientMessageId: 'fine',
        text: '面试流程是怎样的？',
      });
      expect(ok.ok).toBe(true);
      const end = await client.waitFor('reply.end', (p) => p.conversationId === conversationId);
      expect(end.text).toContain('三轮');
    });
  });

  describe('keys', () => {
    let widgetKey: string;
    beforeAll(async () => {
      const workspaces = (await (
        await fetch(`${server.url}/v1/workspaces`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } })
      ).json()) as { id: string; name: string }[];
      const id = workspaces.find((w) => w.name === 'default')!.id;
      const created = await fetch(`${server.url}/v1/workspaces/${id}/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'site',
          scope: 'widget',
          personaIds: ['hua-zhibing'],
          allowedOrigins: ['https://shop.example'],
        }),
      });
      widgetKey = ((await created.json()) as { key: string }).key;
    });

    it('a bad key is refused with auth_unauthorized and disconnected', async () => {
      const bad = await connectChat(server.url, { key: 'zb_widget_nope' });
      const error = await bad.waitFor('error');
      expect(error.code).toBe('auth_unauthorized');
      await new Promise((r) => setTimeout(r, 50));
      expect(bad.socket.connected).toBe(false);
    });

    it('a widget key from a wrong origin is refused with auth_forbidden', async () => {
      const wrong = await connectChat(server.url, { key: widgetKey, origin: 'https://evil.example' });
      expect((await wrong.waitFor('error')).code).toBe('auth_forbidden');
      wrong.close();
    });

    it('a widget key reaches only its personas, from its origin', async () => {
      const widget = await connectChat(server.url, { key: widgetKey, origin: 'https://shop.example' });
      try {
        expect((await widget.request('session.start', { personaId: 'hua-zhibing' })).ok).toBe(true);
        expect(await widget.request('session.start', { personaId: 'front-desk' })).toMatchObject({
          ok: false,
          error: { code: 'persona_forbidden' },
        });
      } finally {
        widget.close();
      }
    });
  });
});
