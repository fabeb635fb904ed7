import { connectChat, type ChatClient } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

const guide = {
  id: 'museum-guide',
  name: '小导',
  profile: '{{char}}是博物馆的导游。',
  greeting: '{{user}}你好，我是{{char}}。',
  alternateGreetings: ['又见面了，{{user}}！', '欢迎回来，{{user}}。'],
  fallback: ['{{user}}，这个我还不知道。'],
};
const englishGuide = { id: 'english-guide', name: 'Ada', locale: 'en', profile: 'A guide.', greeting: 'Hi {{user}}!' };
/** Nothing in either persona's knowledge answers this: the reply is a fallback line. */
const UNKNOWN = '量子色动力学的渐近自由是什么？';

/** `{{user}}` becomes the name session.start gave; the greeting is one of the alternates, stable per conversation. */
describe.each(testDatabases())('visitor names and greetings on $name', (database) => {
  let server: TestApp;
  let client: ChatClient;
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    server = await startTestApp(database);
    for (const persona of [guide, englishGuide]) {
      const saved = await fetch(`${server.url}/v1/personas`, {
        method: 'POST',
        headers,
        body: JSON.stringify(persona),
      });
      if (saved.status !== 201) throw new Error(`persona not saved: ${saved.status} ${await saved.text()}`);
    }
    client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  const start = async (payload: Record<string, unknown>) => {
    const answer = await client.request('session.start', payload);
    if (!answer.ok) throw new Error(`session.start refused: ${JSON.stringify(answer.error)}`);
    return answer.data as { conversationId: string; greeting: string; resumed: boolean };
  };

  it('says the visitor’s name in the greeting and the replies, each visitor their own', async () => {
    const wang = await start({ personaId: guide.id, visitorName: '  王芳 ' });
    const li = await start({ personaId: guide.id, visitorName: '李雷' });
    expect(['王芳你好，我是小导。', '又见面了，王芳！', '欢迎回来，王芳。']).toContain(wang.greeting);
    expect(li.greeting).toContain('李雷');
    // Both conversations use version 1 of the persona: the cached persona must not carry one visitor's name to another.
    const toWang = await client.ask(wang.conversationId, 'w-1', UNKNOWN);
    const toLi = await client.ask(li.conversationId, 'l-1', UNKNOWN);
    expect(toWang.end.text).toContain('王芳，这个我还不知道。');
    expect(toLi.end.text).toContain('李雷，这个我还不知道。');
    expect(toLi.end.text).not.toContain('王芳');
    const stored = await server.dataSource.query(`SELECT visitor_name FROM conversations WHERE id = $1`, [
      wang.conversationId,
    ]);
    expect(stored).toEqual([{ visitor_name: '王芳' }]);

    // Resumed (even without the name), the conversation keeps its name and shows the same greeting.
    const resumed = await start({ personaId: guide.id, conversationId: wang.conversationId });
    expect(resumed).toMatchObject({ resumed: true, greeting: wang.greeting });
    const again = await client.ask(wang.conversationId, 'w-2', `${UNKNOWN}真的吗？`);
    expect(again.end.text).toContain('王芳');
  });

  it('uses the neutral word without a name', async () => {
    const anonymous = await start({ personaId: guide.id });
    const reply = await client.ask(anonymous.conversationId, 'a-1', UNKNOWN);
    expect(reply.end.text).toContain('你，这个我还不知道。');
    expect(`${anonymous.greeting}${reply.end.text}`).not.toMatch(/\{\{|王芳|李雷/);
  });

  it('varies the greeting over conversations among the greeting and its alternates', async () => {
    const started = [];
    for (let i = 0; i < 12; i++) started.push(await start({ personaId: guide.id, visitorName: '客人' }));
    const greetings = new Set(started.map((s) => s.greeting));
    // 12 conversations over 3 greetings: all 12 on one has a chance of 3 × (1/3)^12 ≈ 6e-6.
    expect(greetings.size).toBeGreaterThan(1);
    for (const greeting of greetings)
      expect(['客人你好，我是小导。', '又见面了，客人！', '欢迎回来，客人。']).toContain(greeting);
    for (const s of started.slice(0, 4)) {
      const resumed = await start({ personaId: guide.id, conversationId: s.conversationId });
      expect(resumed.greeting).toBe(s.greeting);
    }
  });

  it('gives an English persona without fallback lines an English one', async () => {
    const { conversationId, greeting } = await start({ personaId: englishGuide.id, visitorName: 'Sam' });
    expect(greeting).toBe('Hi Sam!');
    const reply = await client.ask(conversationId, 'e-1', 'What is asymptotic freedom in quantum chromodynamics?');
    expect(reply.end.text).toContain("I'm not sure about that yet.");
    const persona = await (await fetch(`${server.url}/v1/personas/${englishGuide.id}`, { headers })).json();
    expect(persona.persona.fallback).toEqual(["I'm not sure about that yet. Shall we talk about something else?"]);
  });

  it('refuses a blank or too long name with a typed error and starts nothing', async () => {
    const [before] = await server.dataSource.query(`SELECT count(*)::int AS n FROM conversations`);
    for (const visitorName of ['   ', 'x'.repeat(61), 42]) {
      const answer = await client.request('session.start', { personaId: guide.id, visitorName });
      expect(answer).toMatchObject({ ok: false, error: { code: 'event_invalid' } });
    }
    const [after] = await server.dataSource.query(`SELECT count(*)::int AS n FROM conversations`);
    expect(after.n).toBe(before.n);
    expect(client.socket.connected).toBe(true);
  });
});
