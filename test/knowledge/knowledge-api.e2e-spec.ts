import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('knowledge REST API on $name', (database) => {
  let server: TestApp;
  const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

  beforeAll(async () => {
    server = await startTestApp(database);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function call(method: string, path: string, body?: string, type = 'application/json') {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'content-type': type } : {}) },
      body,
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
    return { status: response.status, body: json, text };
  }

  it('imports a file, reporting rejected lines, and lists the knowledge base', async () => {
    const file = [
      '{"question":"谷爱凌是谁？","answer":"谷爱凌是中国自由式滑雪运动员。"}',
      '{"question":"没有答案"}',
    ].join('\n');
    const report = await call('POST', '/v1/knowledge-bases/winter/import?format=qa', file, 'application/x-ndjson');
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({
      knowledgeBase: { name: 'winter', created: true },
      inserted: 1,
      rejected: [{ line: 2, reason: expect.stringContaining('answer') }],
    });
    const listed = await call('GET', '/v1/knowledge-bases');
    expect(listed.body.filter((kb: { name: string }) => kb.name === 'winter')).toEqual([
      expect.objectContaining({ name: 'winter', items: 1 }),
    ]);
  });

  it('adds, lists and deletes items', async () => {
    const added = await call(
      'POST',
      '/v1/knowledge-bases/winter/items',
      JSON.stringify({ type: 'triple', head: '谷爱凌', relation: '项目', tail: '自由式滑雪' }),
    );
    expect(added).toMatchObject({
      status: 201,
      body: { kind: 'fact', head: '谷爱凌', relation: '项目', tail: '自由式滑雪' },
    });
    const facts = await call('GET', '/v1/knowledge-bases/winter/items?kind=fact');
    expect(facts.body).toHaveLength(1);
    expect((await call('DELETE', `/v1/knowledge-bases/winter/items/${added.body.id}`)).status).toBe(204);
    expect((await call('GET', '/v1/knowledge-bases/winter/items?kind=fact')).body).toEqual([]);
  });

  it('previews selection with score parts', async () => {
    const selected = await call(
      'POST',
      '/v1/knowledge-bases/winter/select',
      JSON.stringify({ turns: ['谷爱凌是谁？'], top: 1 }),
    );
    expect(selected.status).toBe(201);
    expect(selected.body).toMatchObject({
      degraded: null,
      items: [{ kind: 'qa', question: '谷爱凌是谁？', parts: expect.objectContaining({ entity: expect.any(Number) }) }],
    });
  });

  it('exports in the import format', async () => {
    const exported = await call('GET', '/v1/knowledge-bases/winter/export?format=qa');
    expect(exported.status).toBe(200);
    expect(
      exported.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ question: '谷爱凌是谁？', answer: '谷爱凌是中国自由式滑雪运动员。' }]);
  });

  it('twenty creations of one name at once: one 201, the others a 409 conflict, one base', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', '/v1/knowledge-bases', JSON.stringify({ name: 'race' }))),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'knowledge_base_conflict')).toHaveLength(19);
    const bases = (await call('GET', '/v1/knowledge-bases')).body as { name: string }[];
    expect(bases.filter((b) => b.name === 'race')).toHaveLength(1);
  });

  it('answers bad input with typed errors and changes nothing', async () => {
    expect((await call('GET', '/v1/knowledge-bases/nope')).body).toMatchObject({ code: 'knowledge_base_not_found' });
    expect((await call('POST', '/v1/knowledge-bases/winter/import?format=xml', 'x', 'text/plain')).body).toMatchObject({
      code: 'validation_invalid',
    });
    expect(
      (await call('POST', '/v1/knowledge-bases/winter/items', JSON.stringify({ type: 'qa', question: '' }))).body,
    ).toMatchObject({ code: 'validation_invalid' });
    expect((await call('POST', '/v1/knowledge-bases', JSON.stringify({ name: 'winter' }))).body).toMatchObject({
      code: 'knowledge_base_conflict',
    });
    const after = (await call('GET', '/v1/knowledge-bases')).body;
    expect(after.filter((kb: { name: string }) => kb.name === 'winter')).toEqual([
      expect.objectContaining({ name: 'winter', items: 1 }),
    ]);
    expect(after.map((kb: { name: string }) => kb.name)).not.toContain('nope');
  });
});
