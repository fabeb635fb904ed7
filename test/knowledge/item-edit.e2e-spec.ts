import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('knowledge item edit and search on $name', (database) => {
  let server: TestApp;
  const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const base = '/v1/knowledge-bases/edits';

  beforeAll(async () => {
    server = await startTestApp(database);
    await call('POST', '/v1/knowledge-bases', { name: 'edits' });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      total: response.headers.get('x-total-count'),
      body: text ? JSON.parse(text) : undefined,
    };
  }

  const select = async (turn: string) =>
    (await call('POST', `${base}/select`, { turns: [turn], top: 1 })).body.items[0];

  it('edits a QA pair: the new answer is listed and selected, the old one is gone', async () => {
    const added = await call('POST', `${base}/items`, { type: 'qa', question: '雪场几点开门？', answer: '早上九点。' });
    const edited = await call('PATCH', `${base}/items/${added.body.id}`, { answer: '早上八点半。' });
    expect(edited).toMatchObject({
      status: 200,
      body: { kind: 'qa', question: '雪场几点开门？', answer: '早上八点半。' },
    });
    expect(edited.body.id).not.toBe(added.body.id);
    const listed = await call('GET', `${base}/items?kind=qa`);
    expect(listed.body.map((i: { answer: string }) => i.answer)).toEqual(['早上八点半。']);
    expect(await select('雪场几点开门？')).toMatchObject({ id: edited.body.id, answer: '早上八点半。' });
    const stale = await call('PATCH', `${base}/items/${added.body.id}`, { answer: '十点。' });
    expect(stale).toMatchObject({ status: 404, body: { code: 'knowledge_item_not_found' } });
  });

  it("edits a fact's tail and a description's text", async () => {
    const fact = await call('POST', `${base}/items`, {
      type: 'triple',
      head: '云顶',
      relation: '海拔',
      tail: '2000米',
    });
    const editedFact = await call('PATCH', `${base}/items/${fact.body.id}`, { tail: '2100米', source: 'survey' });
    expect(editedFact.body).toMatchObject({ head: '云顶', relation: '海拔', tail: '2100米', source: 'survey' });
    const description = await call('POST', `${base}/items`, { type: 'description', entity: '云顶', text: '一座山。' });
    const editedDescription = await call('PATCH', `${base}/items/${description.body.id}`, { text: '一座雪山。' });
    expect(editedDescription.body).toMatchObject({ kind: 'description', head: '云顶', text: '一座雪山。' });
    expect((await call('GET', `${base}/items?entity=${encodeURIComponent('云顶')}`)).body).toHaveLength(2);
  });

  it('refuses bad edits with typed errors and changes nothing', async () => {
    const first = await call('POST', `${base}/items`, { type: 'qa', question: '有缆车吗？', answer: '有。' });
    await call('POST', `${base}/items`, { type: 'qa', question: '有缆车吗？', answer: '有两条。' });
    const before = (await call('GET', `${base}/items?limit=500`)).body;
    const cases: [unknown, number, string][] = [
      [{ tail: 'x' }, 400, 'validation_invalid'],
      [{}, 400, 'validation_invalid'],
      [{ answer: '   ' }, 400, 'validation_invalid'],
      [{ answer: '有两条。' }, 409, 'knowledge_item_conflict'],
    ];
    for (const [edit, status, code] of cases) {
      const refused = await call('PATCH', `${base}/items/${first.body.id}`, edit);
      expect({ edit, status: refused.status, code: refused.body.code }).toEqual({ edit, status, code });
    }
    expect((await call('GET', `${base}/items?limit=500`)).body).toEqual(before);
    expect(await select('有缆车吗？')).toBeDefined();
  });

  it('searches items by text, paged, with LIKE wildcards taken literally', async () => {
    await call('POST', `${base}/items`, { type: 'qa', question: '折扣多少？', answer: '学生打8折，即20%优惠。' });
    const found = await call('GET', `${base}/items?q=${encodeURIComponent('20%')}`);
    expect(found.body.map((i: { question: string }) => i.question)).toEqual(['折扣多少？']);
    expect((await call('GET', `${base}/items?q=${encodeURIComponent('2_%')}`)).body).toEqual([]);
    const all = await call('GET', `${base}/items?q=${encodeURIComponent('？')}&kind=qa`);
    const page = await call('GET', `${base}/items?q=${encodeURIComponent('？')}&kind=qa&limit=2&offset=1`);
    expect(all.body.length).toBeGreaterThan(3);
    expect(page.body).toEqual(all.body.slice(1, 3));
    expect([page.total, all.total]).toEqual([String(all.body.length), String(all.body.length)]);
  });
});
