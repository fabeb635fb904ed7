import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('gateway on $name', (database) => {
  let server: TestApp;
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    server = await startTestApp(database);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function call(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
    const response = await fetch(`${server.url}${path}`, { method, headers: init.headers ?? admin, body: init.body });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: text ? JSON.parse(text) : undefined,
      text,
    };
  }

  it('reports health with the database kind and applied migrations', async () => {
    const health = await call('GET', '/health', { headers: {} });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      database: { kind: database.name, reachable: true, migrations: { pending: [] } },
    });
    expect(health.body.database.migrations.applied).toBeGreaterThanOrEqual(1);
  });

  it('serves Prometheus metrics that count requests', async () => {
    await call('GET', '/health', { headers: {} });
    const response = await fetch(`${server.url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/zhibing_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toContain('zhibing_process_resident_memory_bytes');
  });

  it('serves OpenAPI docs', async () => {
    const spec = await call('GET', '/docs/openapi.json', { headers: {} });
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/v1/workspaces', '/v1/workspaces/{workspaceId}/keys']),
    );
  });

  it('creates and lists workspaces with the operator key', async () => {
    const created = await call('POST', '/v1/workspaces', { body: JSON.stringify({ name: 'acme' }) });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'acme',
      createdAt: expect.any(String),
    });
    const listed = await call('GET', '/v1/workspaces');
    expect(listed.body.map((w: { name: string }) => w.name)).toEqual(expect.arrayContaining(['default', 'acme']));
    const duplicate = await call('POST', '/v1/workspaces', { body: JSON.stringify({ name: 'acme' }) });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'workspace_conflict' } });
  });

  it('creates, lists and revokes API keys, showing the secret only once', async () => {
    const workspace = (await call('POST', '/v1/workspaces', { body: JSON.stringify({ name: 'keys-test' }) })).body;
    const created = await call('POST', `/v1/workspaces/${workspace.id}/keys`, {
      body: JSON.stringify({ name: 'ops', scope: 'admin' }),
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^zb_admin_/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 15));

    const workspaceAdmin = { authorization: `Bearer ${created.body.key}`, 'content-type': 'application/json' };
    const listed = await call('GET', `/v1/workspaces/${workspace.id}/keys`, { headers: workspaceAdmin });
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0]).not.toHaveProperty('key');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    // A workspace admin sees only its own workspace and cannot create others.
    expect((await call('GET', '/v1/workspaces', { headers: workspaceAdmin })).body).toEqual([
      expect.objectContaining({ id: workspace.id }),
    ]);
    expect((await call('POST', '/v1/workspaces', { headers: workspaceAdmin, body: '{"name":"x"}' })).body.code).toBe(
      'auth_forbidden',
    );

    const widget = await call('POST', `/v1/workspaces/${workspace.id}/keys`, {
      body: JSON.stringify({
        name: 'site',
        scope: 'widget',
        personaIds: ['hua-zhibing'],
        allowedOrigins: ['https://example.com'],
      }),
    });
    expect(widget.body).toMatchObject({
      scope: 'widget',
      personaIds: ['hua-zhibing'],
      allowedOrigins: ['https://example.com'],
    });
    const widgetOnAdmin = await call('GET', '/v1/workspaces', {
      headers: { authorization: `Bearer ${widget.body.key}` },
    });
    expect(widgetOnAdmin).toMatchObject({ status: 403, body: { code: 'auth_forbidden' } });

    const revoked = await call('DELETE', `/v1/workspaces/${workspace.id}/keys/${created.body.id}`);
    expect(revoked.status).toBe(204);
    const afterRevoke = await call('GET', `/v1/workspaces/${workspace.id}/keys`, { headers: workspaceAdmin });
    expect(afterRevoke).toMatchObject({ status: 401, body: { code: 'auth_unauthorized' } });
  });

  describe('errors are problem+json with a stable code', () => {
    it('rejects a missing admin key', async () => {
      const response = await call('GET', '/v1/workspaces', { headers: {} });
      expect(response.status).toBe(401);
      expect(response.type).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'auth_unauthorized', status: 401, title: 'Unauthorized' });
    });

    it('rejects a wrong admin key', async () => {
      const response = await call('GET', '/v1/workspaces', { headers: { authorization: 'Bearer zb_root_wrong' } });
      expect(response).toMatchObject({ status: 401, body: { code: 'auth_unauthorized' } });
    });

    it('rejects a malformed JSON body and changes nothing', async () => {
      const before = (await call('GET', '/v1/workspaces')).body.length;
      const response = await call('POST', '/v1/workspaces', { body: '{"name": "broken' });
      expect(response.status).toBe(400);
      expect(response.type).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('json_invalid');
      expect((await call('GET', '/v1/workspaces')).body.length).toBe(before);
    });

    it('rejects a body that fails the schema, naming the field', async () => {
      const response = await call('POST', '/v1/workspaces', { body: JSON.stringify({ name: '', extra: 1 }) });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_invalid');
      expect(response.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['name']));
    });

    it('answers an unknown route with 404', async () => {
      const response = await call('GET', '/v1/nothing-here');
      expect(response).toMatchObject({ status: 404, body: { code: 'route_not_found', instance: '/v1/nothing-here' } });
      expect(response.type).toMatch(/^application\/problem\+json/);
    });

    it('answers an unknown key id with 404, not a database error', async () => {
      const workspaces = (await call('GET', '/v1/workspaces')).body;
      const response = await call('DELETE', `/v1/workspaces/${workspaces[0].id}/keys/not-a-uuid`);
      expect(response).toMatchObject({ status: 404, body: { code: 'api_key_not_found' } });
    });
  });
});
