import { connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

/**
 * The front desk's admin routes over stored rows: GET /v1/scenario-records (filters, paging,
 * X-Total-Count, CSV; records stored directly) and GET /v1/handoffs (visitors asking through the
 * socket). The whole visit that writes records through dialogue is front-desk.e2e-spec.ts.
 */
describe.each(testDatabases())('front-desk admin API on $name', (database) => {
  let server: TestApp;
  const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const conversations: string[] = [];
  let workspaceId: string;

  async function get(path: string, headers: Record<string, string> = auth) {
    const response = await fetch(`${server.url}${path}`, { headers });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      total: response.headers.get('x-total-count'),
      disposition: response.headers.get('content-disposition'),
      body: type.includes('json') ? JSON.parse(text) : text,
    };
  }

  async function insertRecord(conversation: number, persona: string, kind: string, data: object, at: string) {
    await server.dataSource.query(
      `INSERT INTO scenario_records (workspace_id, conversation_id, persona_slug, kind, data, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::timestamptz)`,
      [workspaceId, conversations[conversation], persona, kind, JSON.stringify(data), at],
    );
  }

  beforeAll(async () => {
    server = await startTestApp(database);
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      for (const [i, personaId] of ['front-desk', 'front-desk', 'hua-zhibing', 'front-desk'].entries()) {
        const { data } = await client.request('session.start', { personaId, visitorId: `v-${i}` });
        conversations.push(data.conversationId);
      }
    } finally {
      client.close();
    }
    [{ workspace_id: workspaceId }] = await server.dataSource.query(
      'SELECT workspace_id FROM conversations WHERE id = $1',
      [conversations[0]],
    );
    await insertRecord(0, 'front-desk', 'registration', { name: '张三', phone: '13912345678' }, '2026-11-25T02:00:00Z');
    await insertRecord(1, 'front-desk', 'registration', { name: '李四', host: '王老师, 三楼' }, '2026-11-25T03:00:00Z');
    await insertRecord(2, 'hua-zhibing', 'note', { text: '=SUM(A1)' }, '2026-11-25T04:00:00Z');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists records newest first with the total, filtered by kind and persona, paged', async () => {
    const all = await get('/v1/scenario-records');
    expect(all).toMatchObject({ status: 200, total: '3' });
    expect(all.body.map((r: any) => r.data.name ?? r.data.text)).toEqual(['=SUM(A1)', '李四', '张三']);
    expect(all.body[2]).toEqual({
      id: expect.any(String),
      conversationId: conversations[0],
      personaId: 'front-desk',
      kind: 'registration',
      data: { name: '张三', phone: '13912345678' },
      createdAt: '2026-11-25T02:00:00.000Z',
    });
    const registrations = await get('/v1/scenario-records?kind=registration&personaId=front-desk');
    expect({ total: registrations.total, count: registrations.body.length }).toEqual({ total: '2', count: 2 });
    expect((await get('/v1/scenario-records?personaId=hua-zhibing')).body.map((r: any) => r.kind)).toEqual(['note']);
    const page = await get('/v1/scenario-records?limit=1&offset=1');
    expect({ total: page.total, names: page.body.map((r: any) => r.data.name) }).toEqual({
      total: '3',
      names: ['李四'],
    });
  });

  // jsonb keeps keys in its own order (shorter first), so the data columns come in that order.
  it('downloads CSV with a column per data field, quoting commas and guarding formulas', async () => {
    const csv = await get('/v1/scenario-records?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.disposition).toBe('attachment; filename="scenario-records.csv"');
    const lines = (csv.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,conversationId,personaId,kind,createdAt,text,host,name,phone');
    expect(lines[1]).toContain(`"'=SUM(A1)"`);
    expect(lines[2]).toMatch(/,registration,2026-11-25T03:00:00.000Z,,"王老师, 三楼",李四,$/);
    expect(lines[3]).toMatch(/,registration,2026-11-25T02:00:00.000Z,,,张三,13912345678$/);
  });

  it('refuses bad filters with a typed error and anyone without an admin key', async () => {
    for (const query of ['kind=Bad Kind', 'limit=0', 'offset=-1', 'format=xml', 'colour=red']) {
      const refused = await get(`/v1/scenario-records?${query}`);
      expect({ query, status: refused.status, code: refused.body.code }).toEqual({
        query,
        status: 400,
        code: 'validation_invalid',
      });
    }
    expect((await get('/v1/scenario-records', {})).status).toBe(401);
    expect((await get('/v1/handoffs', {})).status).toBe(401);
  });

  it('documents both routes in the OpenAPI document, with the record filters', async () => {
    const spec = (await get('/docs/openapi.json', {})).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/scenario-records', '/v1/handoffs']));
    const parameters = spec.paths['/v1/scenario-records'].get.parameters.map((p: any) => p.name);
    expect(parameters).toEqual(expect.arrayContaining(['kind', 'personaId', 'limit', 'offset', 'format']));
  });

  it('lists waiting visitors oldest first, not those taken over or who stopped waiting', async () => {
    expect(await get('/v1/handoffs')).toMatchObject({ status: 200, total: '0', body: [] });
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    const waiting: string[] = [];
    try {
      for (const [i, words] of ['我要转人工', '可以找工作人员吗', '转人工', '转人工'].entries()) {
        const { data } = await client.request('session.start', { personaId: 'front-desk', visitorId: `h-${i}` });
        await client.ask(data.conversationId, `h-${i}`, words);
        waiting.push(data.conversationId);
      }
      await client.ask(waiting[3], 'h-3-cancel', '取消');
    } finally {
      client.close();
    }
    const taken = await fetch(`${server.url}/v1/conversations/${waiting[2]}/takeover`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ operatorName: '李娜' }),
    });
    expect(taken.status).toBe(200);
    const open = await get('/v1/handoffs');
    expect(open).toMatchObject({ status: 200, total: '2' });
    expect(open.body).toEqual([
      { conversationId: waiting[0], personaId: 'front-desk', reason: '我要转人工', at: expect.any(String) },
      { conversationId: waiting[1], personaId: 'front-desk', reason: '可以找工作人员吗', at: expect.any(String) },
    ]);
    expect(Date.parse(open.body[0].at)).toBeLessThanOrEqual(Date.parse(open.body[1].at));
  });
});
