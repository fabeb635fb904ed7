import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { connectChat } from '../support/chat-client';
import { testDatabases } from '../support/test-databases';

const SHIPPED = [
  'front-desk',
  'hua-zhibing',
  'interviewer',
  'lin-daiyu-monkey',
  'lin-daiyu-palace',
  'lin-daiyu-sentimental',
];

const card = {
  spec: 'chara_card_v2',
  spec_version: '2.0',
  data: {
    name: 'Sun Wukong',
    description: '{{char}} is the Monkey King from Journey to the West.',
    personality: 'bold, playful',
    first_mes: 'I am {{char}}! Who dares call me?',
    mes_example: '<START>\n{{user}}: Who are you?\n{{char}}: The Great Sage Equal to Heaven!',
    character_book: {
      entries: [
        { keys: ['Golden Cudgel'], content: 'A staff that can shrink to a needle or grow to the sky.', enabled: true },
        { keys: ['x'], content: 'disabled', enabled: false },
      ],
    },
  },
};

describe.each(testDatabases())('personas and conversations REST on $name', (database) => {
  let server: TestApp;
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    server = await startTestApp(database);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('loads the shipped personas at start-up', async () => {
    const listed = await call('GET', '/v1/personas');
    expect(listed.body.map((p: { id: string }) => p.id)).toEqual(SHIPPED);
    expect(listed.body.every((p: { version: number }) => p.version === 1)).toBe(true);
    const daiyu = await Promise.all(
      ['lin-daiyu-sentimental', 'lin-daiyu-palace', 'lin-daiyu-monkey'].map((id) => call('GET', `/v1/personas/${id}`)),
    );
    expect(new Set(daiyu.map((d) => d.body.persona.knowledgeBases.join()))).toEqual(new Set(['hongloumeng']));
    expect(new Set(daiyu.map((d) => d.body.persona.grounding.setting)).size).toBe(3);
  });

  it('versions a persona only when its content changes', async () => {
    const current = (await call('GET', '/v1/personas/front-desk')).body.persona;
    expect((await call('PUT', '/v1/personas/front-desk', current)).body).toMatchObject({ version: 1, created: false });
    const changed = await call('PUT', '/v1/personas/front-desk', { ...current, greeting: '您好！' });
    expect(changed.body).toMatchObject({ version: 2, created: true });
    expect(
      (await call('GET', '/v1/personas/front-desk/versions')).body.map((v: { version: number }) => v.version),
    ).toEqual([1, 2]);
    expect((await call('GET', '/v1/personas/front-desk?version=1')).body.persona.greeting).toBe(current.greeting);
  });

  it('ten saves of one persona at once each get their own version, none a 500', async () => {
    const current = (await call('GET', '/v1/personas/interviewer')).body;
    const saves = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('PUT', '/v1/personas/interviewer', { ...current.persona, greeting: `你好，第${i}位候选人。` }),
      ),
    );
    expect(saves.map((r) => r.status).every((status) => status === 200 || status === 201)).toBe(true);
    expect(new Set(saves.map((r) => r.body.version))).toEqual(
      new Set(Array.from({ length: 10 }, (_, i) => current.version + 1 + i)),
    );
  });

  it('rejects an invalid persona naming each bad field', async () => {
    const bad = await call('POST', '/v1/personas', {
      id: 'Bad Id',
      name: '',
      profile: 'x',
      greeting: 'hi',
      temperature: 3,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('persona_invalid');
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['id', 'name']));
  });

  it('refuses a NUL or a lone surrogate in any field with a 400 naming it, and stores nothing', async () => {
    const before = (await call('GET', '/v1/personas')).body;
    const nul = await call('POST', '/v1/personas', {
      id: 'nul-test',
      name: '小\u0000智',
      profile: 'x',
      greeting: 'hi',
    });
    const surrogate = await call('POST', '/v1/personas', {
      id: 'nul-test',
      name: '小智',
      profile: 'x\ud800',
      greeting: 'hi',
    });
    expect([nul.status, nul.body.code, nul.body.issues[0].path]).toEqual([400, 'persona_invalid', 'name']);
    expect([surrogate.status, surrogate.body.issues[0].path]).toEqual([400, 'profile']);
    expect((await call('GET', '/v1/personas')).body).toEqual(before);
  });

  it('imports a character card with its lorebook as knowledge, and exports it back', async () => {
    const imported = await call('POST', '/v1/personas/import/card?id=sun-wukong', card);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      version: 1,
      knowledgeItems: 1,
      persona: {
        id: 'sun-wukong',
        name: 'Sun Wukong',
        greeting: 'I am {{char}}! Who dares call me?',
        examples: [{ user: 'Who are you?' }],
      },
    });
    const exported = await call('GET', '/v1/personas/sun-wukong/card');
    expect(exported.body).toMatchObject({
      spec: 'chara_card_v2',
      data: { name: 'Sun Wukong', character_book: { entries: [{ keys: ['Golden Cudgel'] }] } },
    });
    expect((await call('POST', '/v1/personas/import/card', { spec: 'nope' })).body.code).toBe('card_spec_invalid');
  });

  it('shows a conversation with its turns and traces, and filters the list', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'lin-daiyu-palace', visitorId: 'reader-7' });
      await client.request('message', {
        conversationId: data.conversationId,
        clientMessageId: 'c1',
        text: '潇湘馆是什么地方？',
      });
      await client.waitFor('reply.end');
    } finally {
      client.close();
    }
    const list = await call('GET', '/v1/conversations?visitorId=reader-7');
    expect(list.body).toEqual([expect.objectContaining({ personaId: 'lin-daiyu-palace', turns: 2 })]);
    const conversation = await call('GET', `/v1/conversations/${list.body[0].id}`);
    expect(conversation.body.turns).toHaveLength(2);
    expect(conversation.body.turns[1].trace.knowledge[0]).toMatchObject({ head: '潇湘馆' });
    expect((await call('GET', '/v1/conversations/00000000-0000-4000-8000-000000000000')).body.code).toBe(
      'conversation_not_found',
    );
  });
});
