import { connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('conversation search on $name', (database) => {
  let server: TestApp;
  const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  let hua: string[] = [];
  let openai: string;
  let startedBetween: { from: string; to: string };

  async function get(path: string) {
    const response = await fetch(`${server.url}${path}`, { headers: auth });
    return { status: response.status, total: response.headers.get('x-total-count'), body: await response.json() };
  }

  beforeAll(async () => {
    server = await startTestApp(database);
    // Three socket conversations with 华智冰, one OpenAI-channel conversation with 林黛玉.
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const questions = ['谷爱凌是谁？', '你喜欢滑雪吗？', '你在清华读书吗？'];
      for (const [i, question] of questions.entries()) {
        if (i === 1) startedBetween = { from: new Date().toISOString(), to: '' };
        const { data } = await client.request('session.start', { personaId: 'hua-zhibing', visitorId: `v-${i}` });
        await client.ask(data.conversationId, `m-${i}`, question);
        hua.push(data.conversationId);
        if (i === 1) startedBetween.to = new Date(Date.now() + 1).toISOString();
      }
    } finally {
      client.close();
    }
    const completion = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'lin-daiyu-palace', messages: [{ role: 'user', content: '潇湘馆是什么地方？' }] }),
    });
    expect(completion.status).toBe(200);
    openai = completion.headers.get('x-zhibing-conversation-id')!;
    // No API closes a conversation yet; the status filter is checked on one closed here.
    await server.dataSource.query(`UPDATE conversations SET status = 'closed' WHERE id = $1`, [hua[0]]);
    hua = hua.reverse(); // newest first, as listed
  });
  afterAll(async () => {
    await server?.close();
  });

  const ids = (body: { id: string }[]) => body.map((c) => c.id);

  it('filters by persona, channel and status, newest first, with the total count', async () => {
    const all = await get('/v1/conversations');
    expect(all).toMatchObject({ status: 200, total: '4' });
    expect(ids(all.body)).toEqual([openai, ...hua]);
    expect(all.body[1]).toMatchObject({ personaId: 'hua-zhibing', channel: 'admin', status: 'open', turns: 2 });
    expect(ids((await get('/v1/conversations?personaId=hua-zhibing')).body)).toEqual(hua);
    expect(ids((await get('/v1/conversations?channel=openai')).body)).toEqual([openai]);
    const closed = await get('/v1/conversations?status=closed');
    expect({ total: closed.total, ids: ids(closed.body) }).toEqual({ total: '1', ids: [hua[2]] });
    expect((await get('/v1/conversations?status=open&personaId=hua-zhibing')).total).toBe('2');
  });

  it('searches turn text, case-insensitively, with LIKE wildcards taken literally', async () => {
    expect(ids((await get(`/v1/conversations?q=${encodeURIComponent('滑雪吗')}`)).body)).toEqual([hua[1]]);
    expect(ids((await get(`/v1/conversations?q=${encodeURIComponent('潇湘馆')}`)).body)).toEqual([openai]);
    expect((await get(`/v1/conversations?q=${encodeURIComponent('%')}`)).total).toBe('0');
  });

  it('filters by start time and pages, the total staying that of the whole match', async () => {
    const { from, to } = startedBetween;
    const window = await get(`/v1/conversations?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(ids(window.body)).toEqual([hua[1]]);
    const page = await get('/v1/conversations?limit=2&offset=1');
    expect({ total: page.total, ids: ids(page.body) }).toEqual({ total: '4', ids: hua.slice(0, 2) });
  });

  it('refuses bad filters with a typed error', async () => {
    for (const query of ['status=archived', 'from=yesterday', 'limit=0', 'q=']) {
      const refused = await get(`/v1/conversations?${query}`);
      expect({ query, status: refused.status, code: refused.body.code }).toEqual({
        query,
        status: 400,
        code: 'validation_invalid',
      });
    }
  });
});
