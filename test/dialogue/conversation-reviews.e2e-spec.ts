import { parse } from 'csv-parse/sync';
import { connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('reply reviews and conversation export on $name', (database) => {
  let server: TestApp;
  const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  let conversationId: string;
  let userSeq: number;
  let replySeqs: number[];

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
    return { status: response.status, type: response.headers.get('content-type'), body: json, text };
  }

  beforeAll(async () => {
    server = await startTestApp(database);
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'hua-zhibing', visitorId: 'reviewed' });
      conversationId = data.conversationId;
      await client.ask(conversationId, 'm-1', '谷爱凌是谁？');
      await client.ask(conversationId, 'm-2', '她参加过冬奥会吗？');
    } finally {
      client.close();
    }
    const turns = (await call('GET', `/v1/conversations/${conversationId}`)).body.turns;
    userSeq = turns.find((t: { role: string }) => t.role === 'user').seq;
    replySeqs = turns.filter((t: { role: string }) => t.role === 'persona').map((t: { seq: number }) => t.seq);
  });
  afterAll(async () => {
    await server?.close();
  });

  const reviewPath = (seq: number | string, id = conversationId) => `/v1/conversations/${id}/turns/${seq}/review`;

  it('stores a review of a reply, shows it with the transcript, and a second one replaces it', async () => {
    const first = await call('PUT', reviewPath(replySeqs[0]), { thumb: 'down', note: '太短, "不够" 具体' });
    expect(first).toMatchObject({ status: 200, body: { seq: replySeqs[0], thumb: 'down', stars: null } });
    const shown = (await call('GET', `/v1/conversations/${conversationId}`)).body.turns;
    const reviews = shown.map((t: { seq: number; review: unknown }) => [t.seq, t.review]);
    expect(reviews).toContainEqual([
      replySeqs[0],
      expect.objectContaining({ thumb: 'down', note: '太短, "不够" 具体' }),
    ]);
    expect(shown.filter((t: { review: unknown }) => t.review !== null)).toHaveLength(1);

    const second = await call('PUT', reviewPath(replySeqs[0]), { stars: 4, note: '' });
    expect(second.body).toMatchObject({ thumb: null, stars: 4, note: '' });
    await call('PUT', reviewPath(replySeqs[0]), { thumb: 'down', note: '太短, "不够" 具体' });
  });

  it('refuses bad reviews with typed errors and stores nothing', async () => {
    const cases: [string, unknown, number, string][] = [
      [reviewPath(userSeq), { thumb: 'up' }, 400, 'review_invalid'],
      [reviewPath(999), { thumb: 'up' }, 404, 'turn_not_found'],
      [reviewPath('x'), { thumb: 'up' }, 400, 'request_invalid'],
      [reviewPath(replySeqs[1]), { stars: 6 }, 400, 'validation_invalid'],
      [reviewPath(replySeqs[1]), {}, 400, 'validation_invalid'],
      [
        reviewPath(replySeqs[1], '00000000-0000-4000-8000-000000000000'),
        { thumb: 'up' },
        404,
        'conversation_not_found',
      ],
    ];
    for (const [path, body, status, code] of cases) {
      const refused = await call('PUT', path, body);
      expect({ path, status: refused.status, code: refused.body?.code }).toEqual({ path, status, code });
    }
    const [{ count }] = await server.dataSource.query(`SELECT count(*)::int AS count FROM turn_reviews`);
    expect(count).toBe(1);
  });

  it('exports transcripts with trace summaries and reviews as JSON Lines', async () => {
    const exported = await call('GET', '/v1/conversations/export?format=jsonl');
    expect(exported).toMatchObject({ status: 200, type: expect.stringContaining('application/x-ndjson') });
    const lines = exported.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    const reply = lines[0].turns.find((t: { seq: number }) => t.seq === replySeqs[0]);
    expect(lines[0]).toMatchObject({ id: conversationId, personaId: 'hua-zhibing', visitorId: 'reviewed' });
    expect(reply).toMatchObject({
      role: 'persona',
      review: { thumb: 'down' },
      trace: {
        engine: expect.any(String),
        knowledge: expect.arrayContaining([expect.objectContaining({ kind: 'qa' })]),
      },
    });
    expect(reply.trace.totalMs).toEqual(expect.any(Number));
    expect(JSON.stringify(lines[0])).not.toContain('"prompt"');
    expect((await call('GET', '/v1/conversations/export?personaId=nobody')).text).toBe('');
  });

  it('exports one CSV row per turn, quoting what needs quoting', async () => {
    const exported = await call('GET', '/v1/conversations/export?format=csv');
    expect(exported.type).toContain('text/csv');
    const rows: Record<string, string>[] = parse(exported.text, { columns: true });
    expect(rows.map((r) => r.seq)).toEqual([userSeq, replySeqs[0], userSeq + 2, replySeqs[1]].map(String));
    expect(rows.find((r) => r.seq === String(replySeqs[0]))).toMatchObject({
      conversation_id: conversationId,
      role: 'persona',
      review_thumb: 'down',
      review_note: '太短, "不够" 具体',
    });
    expect(rows[0]).toMatchObject({ role: 'user', text: '谷爱凌是谁？', review_thumb: '' });
  });
});
