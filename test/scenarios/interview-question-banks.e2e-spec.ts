import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

const root = path.join(__dirname, '..', '..');

const bank = {
  title: '前端工程师',
  questions: [
    {
      id: 'render',
      text: '浏览器从输入网址到页面显示发生了什么？',
      criteria: [{ name: '技术深度', points: ['DNS', '渲染/render'] }],
      followUps: [
        { when: ['缓存'], text: '强缓存和协商缓存有什么区别？' },
        { when: [], text: '能再具体一点吗？' },
      ],
    },
  ],
};

describe.each(testDatabases())('question banks REST and CLI on $name', (database) => {
  let server: TestApp;
  const call = async (method: string, url: string, body?: unknown, key = TEST_ADMIN_KEY) => {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      body: type.includes('json') && text ? JSON.parse(text) : text,
    };
  };

  beforeAll(async () => {
    server = await startTestApp(database);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("lists the interviewer's shipped bank and exports it as JSON and YAML", async () => {
    const listed = await call('GET', '/v1/question-banks');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      {
        role: 'backend-engineer',
        title: '后端工程师（初面）',
        questionCount: 6,
        source: 'persona',
        personaId: 'interviewer',
      },
    ]);
    const json = await call('GET', '/v1/question-banks/backend-engineer');
    expect(json.body.questions.map((q: { id: string }) => q.id)).toEqual([
      'project',
      'slow-query',
      'cache',
      'idempotency',
      'incident',
      'disagreement',
    ]);
    const yaml = await call('GET', '/v1/question-banks/backend-engineer?format=yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(yaml.headers.get('content-disposition')).toBe('attachment; filename="backend-engineer.yaml"');
    expect(parse(yaml.body as string)).toEqual(json.body);
  });

  it('refuses an invalid bank with the bad fields, and stores nothing', async () => {
    const invalid = await call('PUT', '/v1/question-banks/frontend-engineer', { title: '', questions: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(invalid.body.code).toBe('question_bank_invalid');
    expect(invalid.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['questions', 'title']);
    const otherRole = await call('PUT', '/v1/question-banks/frontend-engineer', { ...bank, role: 'designer' });
    expect(otherRole).toMatchObject({ status: 400, body: { code: 'question_bank_invalid' } });
    const badRole = await call('PUT', '/v1/question-banks/Frontend!', bank);
    expect(badRole.status).toBe(400);
    const missing = await call('GET', '/v1/question-banks/frontend-engineer');
    expect(missing).toMatchObject({ status: 404, body: { code: 'question_bank_not_found' } });
    expect((await call('GET', '/v1/question-banks')).body).toHaveLength(1);
  });

  it('stores, replaces and deletes a bank; a stored bank wins over the persona’s own', async () => {
    const created = await call('PUT', '/v1/question-banks/frontend-engineer', bank);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ created: true, bank: { role: 'frontend-engineer', title: '前端工程师' } });
    const replaced = await call('PUT', '/v1/question-banks/frontend-engineer', {
      ...bank,
      title: '前端工程师（校招）',
    });
    expect(replaced.body.created).toBe(false);
    expect((await call('GET', '/v1/question-banks/frontend-engineer')).body).toEqual({
      role: 'frontend-engineer',
      ...bank,
      title: '前端工程师（校招）',
    });

    const own = { role: 'backend-engineer', title: '后端（自定义）', questions: bank.questions };
    expect((await call('PUT', '/v1/question-banks/backend-engineer', own)).status).toBe(200);
    const listed = (await call('GET', '/v1/question-banks')).body;
    expect(listed.map((b: { role: string; source: string }) => `${b.role}:${b.source}`)).toEqual([
      'backend-engineer:stored',
      'frontend-engineer:stored',
    ]);
    expect((await call('GET', '/v1/question-banks/backend-engineer')).body.title).toBe('后端（自定义）');

    expect((await call('DELETE', '/v1/question-banks/backend-engineer')).status).toBe(204);
    expect((await call('GET', '/v1/question-banks/backend-engineer')).body.title).toBe('后端工程师（初面）');
    const again = await call('DELETE', '/v1/question-banks/backend-engineer');
    expect(again).toMatchObject({ status: 404, body: { code: 'question_bank_not_found' } });
  });

  it('documents its routes and the interview report in OpenAPI', async () => {
    const spec = (await call('GET', '/docs/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/question-banks',
        '/v1/question-banks/{role}',
        '/v1/conversations/{id}/interview-report',
      ]),
    );
    expect(Object.keys(spec.paths['/v1/question-banks/{role}']).sort()).toEqual(['delete', 'get', 'put']);
    const report = spec.paths['/v1/conversations/{id}/interview-report'].get;
    expect(report.parameters).toContainEqual(
      expect.objectContaining({
        name: 'format',
        in: 'query',
        schema: expect.objectContaining({ enum: ['json', 'markdown', 'csv'] }),
      }),
    );
  });

  it('answers only admin keys', async () => {
    const anonymous = await fetch(`${server.url}/v1/question-banks`);
    expect(anonymous.status).toBe(401);
    const wrong = await call('GET', '/v1/question-banks', undefined, 'zb_root_not-a-key-0000000000000000');
    expect(wrong.status).toBe(401);
  });
});

describe('question-banks import and export (CLI process)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-question-banks-'));
  const env = { ZHIBING_DATA_DIR: path.join(dir, 'db') };
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(root, 'scripts', 'run-cli.js'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
    });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports a YAML bank, exports it again unchanged, and refuses an invalid file', () => {
    const file = path.join(dir, 'frontend.yaml');
    fs.writeFileSync(
      file,
      `role: frontend-engineer\ntitle: 前端工程师\nquestions:\n  - id: render\n    text: 页面是怎么渲染的？\n`,
    );
    const imported = cli(['question-banks', 'import', file]);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ role: 'frontend-engineer', questions: 1, created: true });
    const exported = cli(['question-banks', 'export', 'frontend-engineer']);
    expect(parse(exported.stdout)).toEqual({
      role: 'frontend-engineer',
      title: '前端工程师',
      questions: [{ id: 'render', text: '页面是怎么渲染的？', criteria: [], followUps: [] }],
    });
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'role: frontend-engineer\nquestions: []\n');
    const refused = cli(['question-banks', 'import', path.join(dir, 'bad.yaml')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('[question_bank_invalid]');
    expect(cli(['question-banks', 'export', 'nobody']).stderr).toContain('[question_bank_not_found]');
  }, 300_000);
});
