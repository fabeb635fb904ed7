import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import { type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';
import { TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/**
 * The admin console in Debian's chromium against a real gateway (embedded PGlite, retrieval
 * responder): one author's session from pasting the key to revoking a widget key.
 */
describe('the admin console in a real browser', () => {
  let session: ConsoleBrowser;
  let gateway: TestApp;
  let page: Page;
  let failures: string[];
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

  beforeAll(async () => {
    // The wrong key (401) and the outdated request (400) are on purpose; chromium logs them as failed resources.
    session = await openConsoleBrowser({ expectedErrors: /status of 40[01]/ });
    ({ gateway, page, failures } = session);
  }, 60_000);

  afterAll(() => session?.close());

  it('signs in with the pasted key, refusing a wrong one', async () => {
    await page.goto(`${gateway.url}/`);
    expect(page.url()).toBe(`${gateway.url}/console/`);
    await page.locator('input[name=key]').fill('zb_root_not-a-real-key-000000000000');
    await page.getByRole('button', { name: 'Open the console' }).click();
    await page.getByRole('alert').filter({ hasText: 'This key is not valid' }).waitFor();
    await page.locator('input[name=key]').fill(TEST_ADMIN_KEY);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await page.locator('[data-persona=hua-zhibing]').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('zhibing.console.key'))).toBe(TEST_ADMIN_KEY);
    expect(await page.evaluate(() => localStorage.getItem('zhibing.console.key'))).toBeNull();
  });

  it('creates a persona: a field error from the shared schema, fixed, then saved', async () => {
    await page.getByRole('button', { name: 'New persona' }).click();
    const field = (name: string) => page.locator(`[data-field="${name}"]`);
    await field('id').locator('input').fill('Xiao Lin');
    await field('name').locator('input').fill('小林');
    await field('profile').locator('textarea').fill('清华大学的学生，喜欢滑雪。');
    await field('knowledgeBases').locator('input').fill('hua-zhibing');
    await field('generation.temperature').locator('input').fill('3');
    await page.getByRole('button', { name: 'Save' }).click();

    await expect(field('id').locator('.field-error').textContent()).resolves.toBe(
      'lowercase letters, digits and dashes',
    );
    await expect(field('greeting').locator('.field-error').count()).resolves.toBe(1);
    await expect(field('generation.temperature').locator('.field-error').textContent()).resolves.toMatch(/2/);
    await session.shot('persona-validation');
    const before = await (await fetch(`${gateway.url}/v1/personas`, { headers })).json();
    expect(before.map((p: { id: string }) => p.id)).not.toContain('xiao-lin');

    // Errors follow the typing: each fixed field clears at once.
    await field('id').locator('input').fill('xiao-lin');
    await expect(field('id').locator('.field-error').count()).resolves.toBe(0);
    await field('greeting').locator('input').fill('你好，我是小林！');
    await field('generation.temperature').locator('input').fill('0.7');

    // A console older than its gateway: the API's own 400 lands beside the field it names. The real
    // gateway answers; only the request is altered on its way, as an outdated client would send it.
    await page.route('**/v1/personas', (route) =>
      route.request().method() === 'POST'
        ? route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), profile: '' }) })
        : route.continue(),
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await field('profile').locator('.field-error').waitFor();
    await expect(field('profile').locator('.field-error').textContent()).resolves.toMatch(/>=1 characters/);
    await page.unroute('**/v1/personas');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 1.' }).waitFor();
    expect(page.url()).toBe(`${gateway.url}/console/personas/xiao-lin`);
    const stored = await (await fetch(`${gateway.url}/v1/personas/xiao-lin`, { headers })).json();
    expect(stored).toMatchObject({ version: 1, persona: { name: '小林', greeting: '你好，我是小林！' } });
    expect(stored.persona.generation.temperature).toBe(0.7);
  });

  it('chats in the live preview with a streamed reply and opens its trace', async () => {
    const preview = page.getByTestId('preview');
    await preview.locator('.msg.persona', { hasText: '你好，我是小林！' }).waitFor();
    await preview.locator('input[name=message]').fill('谷爱凌是谁？');
    await preview.locator('input[name=message]').press('Enter');
    const reply = preview.locator('.msg.persona:not(.streaming)', { hasText: '自由式滑雪' });
    await reply.waitFor({ timeout: 10_000 });
    // Built from the stream: several reply.delta events, not one final message.
    expect(Number(await reply.getAttribute('data-deltas'))).toBeGreaterThan(1);

    await reply.getByRole('button', { name: 'Why this reply?' }).click();
    const trace = page.getByTestId('trace');
    await expect(trace.getByTestId('trace-engine').textContent()).resolves.toBe('retrieval');
    await trace.getByTestId('trace-knowledge').locator('tbody tr', { hasText: '谷爱凌' }).first().waitFor();
    await expect(trace.textContent()).resolves.toMatch(/knowledgeMs/);
    await session.shot('preview-trace');
    const turnId = await reply.getAttribute('data-turn');
    const conversations = await (await fetch(`${gateway.url}/v1/conversations?personaId=xiao-lin`, { headers })).json();
    const conversation = await (
      await fetch(`${gateway.url}/v1/conversations/${conversations[0].id}`, { headers })
    ).json();
    const stored = conversation.turns.find((t: { id: string }) => t.id === turnId);
    const rows = await trace.getByTestId('trace-knowledge').locator('tbody tr').count();
    expect(rows).toBe(stored.trace.knowledge.length);
    await trace.getByRole('button', { name: 'Close' }).click();
  });

  it('edits, shows the version diff, and rolls back', async () => {
    const greeting = page.locator('[data-field="greeting"] input');
    await greeting.fill('嗨，我是小林，清华的学生。');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 2.' }).waitFor();

    const diff = page.getByTestId('versions').locator('pre.diff');
    await diff.locator('.removed', { hasText: '你好，我是小林！' }).waitFor();
    await diff.locator('.added', { hasText: '嗨，我是小林，清华的学生。' }).waitFor();
    await session.shot('persona-versions');

    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByRole('status').filter({ hasText: 'version 3 now has the content of v1' }).waitFor();
    await expect(page.locator('[data-field="greeting"] input').inputValue()).resolves.toBe('你好，我是小林！');
    const stored = await (await fetch(`${gateway.url}/v1/personas/xiao-lin`, { headers })).json();
    expect(stored).toMatchObject({ version: 3, persona: { greeting: '你好，我是小林！' } });
  });

  it('exports the persona as a character card and imports a card as a new persona', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export card (V3 JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('xiao-lin.card.json');
    const card = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(card).toMatchObject({ spec: 'chara_card_v3', data: { name: '小林', first_mes: '你好，我是小林！' } });

    const form = page.getByTestId('card-import');
    await form.locator('input[name=card]').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"spec": '),
    });
    await form.getByRole('button', { name: 'Import' }).click();
    await form.getByRole('alert').filter({ hasText: 'not valid JSON' }).waitFor();

    card.data.name = '小林二号';
    card.data.character_book = { entries: [{ keys: ['小林二号'], content: '小林二号是小林的双胞胎妹妹。' }] };
    await form.locator('input[name=card]').setInputFiles({
      name: 'xiao-lin-2.card.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(card)),
    });
    await form.locator('input[name=card-id]').fill('xiao-lin-2');
    await form.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 小林二号 with 1 knowledge items.' }).waitFor();
    expect(page.url()).toBe(`${gateway.url}/console/personas/xiao-lin-2`);
    await expect(page.locator('[data-field="greeting"] input').inputValue()).resolves.toBe('你好，我是小林！');
    await page.locator('[data-persona="xiao-lin"]').click();
    await page.getByRole('heading', { name: 'Edit 小林', exact: true }).waitFor();
  });

  it('curates a knowledge base: create, add with field errors, import with a line report, delete, select', async () => {
    await page.getByRole('link', { name: 'Knowledge' }).click();
    const bases = page.getByTestId('knowledge-bases');
    await bases.getByRole('button', { name: 'Create' }).click();
    await bases.locator('[data-field="name"] .field-error').waitFor();
    await bases.locator('input[name=kb-name]').fill('campus');
    await bases.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'campus' }).waitFor();
    expect(page.url()).toBe(`${gateway.url}/console/knowledge/campus`);

    const add = page.getByTestId('add-item');
    await add.locator('[data-field="question"] textarea').fill('图书馆几点开门？');
    await add.getByRole('button', { name: 'Add' }).click();
    await add.locator('[data-field="answer"] .field-error').waitFor();
    await add.locator('[data-field="answer"] textarea').fill('图书馆早上八点开门。');
    await add.getByRole('button', { name: 'Add' }).click();
    const items = page.getByTestId('knowledge-items');
    await items.locator('tbody tr', { hasText: '图书馆早上八点开门。' }).waitFor();

    const importer = page.getByTestId('import');
    await importer.locator('input[name=file]').setInputFiles({
      name: 'campus.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(
        '{"question":"食堂几点开门？","answer":"食堂六点半开门。"}\nnot json\n{"question":"校车？"}\n',
      ),
    });
    await importer.getByRole('button', { name: 'Import' }).click();
    await importer.getByRole('status').filter({ hasText: '3 lines: 1 added, 0 already there, 2 refused.' }).waitFor();
    await expect(
      importer.locator('tr[data-line]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line'))),
    ).resolves.toEqual(['2', '3']);
    await items.locator('tbody tr', { hasText: '食堂六点半开门。' }).waitFor();

    await items
      .locator('tbody tr', { hasText: '图书馆早上八点开门。' })
      .getByRole('button', { name: 'Remove' })
      .click();
    // The table reloads after the delete: wait for the row to go before counting what is left.
    await items.locator('tbody tr', { hasText: '图书馆早上八点开门。' }).waitFor({ state: 'detached' });
    await expect(items.locator('tbody tr').count()).resolves.toBe(1);
    const stored = await (await fetch(`${gateway.url}/v1/knowledge-bases/campus/items`, { headers })).json();
    expect(stored.map((i: { answer: string }) => i.answer)).toEqual(['食堂六点半开门。']);

    const playground = page.getByTestId('playground');
    await playground.locator('textarea[name=dialogue]').fill('你好\n食堂几点开门？');
    await playground.getByRole('button', { name: 'Select' }).click();
    const selected = playground.getByTestId('selection').locator('tbody tr').first();
    await expect(selected.textContent()).resolves.toContain('食堂六点半开门。');
    await expect(selected.locator('td.parts').textContent()).resolves.toMatch(/lexical \d/);
    await session.shot('knowledge');
  });

  it('creates a widget key, previews the widget with its snippet, and revokes the key', async () => {
    await page.getByRole('link', { name: 'Keys & widget' }).click();
    const form = page.getByTestId('create-key');
    await form.getByRole('button', { name: 'Create key' }).click();
    await form.locator('[data-field="name"] .field-error').waitFor();
    await expect(form.locator('[data-field="personaIds"] .field-error').textContent()).resolves.toBe(
      'a widget key needs at least one persona it may talk to',
    );
    await form.locator('[data-field="name"] input').fill('site');
    await form.locator('input[type=checkbox][value="xiao-lin"]').check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = (await form.getByTestId('secret').locator('code').textContent())!;
    expect(secret).toMatch(/^zb_widget_/);
    const row = page.locator('tr[data-key-name="site"]');
    await expect(row.textContent()).resolves.toContain(gateway.url);

    const snippet = page.getByTestId('snippet');
    await expect(snippet.locator('select[name=widget-persona]').inputValue()).resolves.toBe('xiao-lin');
    await expect(snippet.getByTestId('snippet-code').textContent()).resolves.toBe(
      `<script src="${gateway.url}/widget.js" data-key="${secret}" data-persona="xiao-lin" defer></script>`,
    );
    await snippet.getByRole('button', { name: 'Preview on a test page' }).click();
    const widget = page.frameLocator('iframe.widget-preview').locator('[data-zhibing-widget]');
    await widget.locator('.msg.persona', { hasText: '你好，我是小林！' }).waitFor({ timeout: 10_000 });
    await session.shot('widget-preview');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.locator('td.status', { hasText: 'revoked' }).waitFor();
    const keys = await (
      await fetch(`${gateway.url}/v1/workspaces/${(await defaultWorkspace()).id}/keys`, { headers })
    ).json();
    expect(keys.find((k: { name: string }) => k.name === 'site').revokedAt).not.toBeNull();
  });

  it('finds the preview conversation and reads its transcript with the trace', async () => {
    await page.getByRole('link', { name: 'Conversations' }).click();
    const list = page.getByTestId('conversations');
    await list.locator('select[name=persona]').selectOption('xiao-lin');
    const row = list
      .locator('tbody tr', { hasText: 'admin' })
      .filter({ has: page.locator('td:last-child', { hasText: /^2$/ }) });
    await row.locator('a').click();
    const transcript = page.getByTestId('transcript');
    await transcript.locator('.msg.user', { hasText: '谷爱凌是谁？' }).waitFor();
    await transcript
      .locator('.msg.persona', { hasText: '自由式滑雪' })
      .getByRole('button', { name: 'Why this reply?' })
      .click();
    await expect(page.getByTestId('trace-engine').textContent()).resolves.toBe('retrieval');
    await session.shot('conversation-transcript');
    await page.getByTestId('trace').getByRole('button', { name: 'Close' }).click();
  });

  it('shows the engine and health, in Chinese too', async () => {
    await page.getByRole('link', { name: 'Engine & health' }).click();
    await expect(page.getByTestId('health-engine').textContent()).resolves.toMatch(/^retrieval/);
    await expect(page.getByTestId('health-status').textContent()).resolves.toBe('ok');
    await expect(page.locator('[data-component=embedder]').textContent()).resolves.toContain('hashing');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '引擎与健康' }).waitFor();
    await page.getByRole('link', { name: '角色' }).waitFor();
    await session.shot('health-zh');
    await page.getByRole('button', { name: 'English' }).click();
    expect(failures).toEqual([]);
  });

  it('sends a revoked admin key back to sign-in, saying so', async () => {
    const json = { ...headers, 'content-type': 'application/json' };
    const workspace = (await defaultWorkspace()).id;
    const admin = await (
      await fetch(`${gateway.url}/v1/workspaces/${workspace}/keys`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: 'author', scope: 'admin' }),
      })
    ).json();
    const tab = await page.context().newPage();
    await tab.goto(`${gateway.url}/console/keys`);
    await tab.locator('input[name=key]').fill(admin.key);
    await tab.getByRole('button', { name: 'Open the console' }).click();
    await tab.locator('tr[data-key-name="author"]').waitFor();
    await fetch(`${gateway.url}/v1/workspaces/${workspace}/keys/${admin.id}`, { method: 'DELETE', headers });
    await tab.getByRole('link', { name: 'Personas' }).click();
    await tab.getByRole('alert').filter({ hasText: 'The key stopped working' }).waitFor();
    expect(await tab.evaluate(() => sessionStorage.getItem('zhibing.console.key'))).toBeNull();
    await tab.close();
  });

  async function defaultWorkspace(): Promise<{ id: string }> {
    const list = await (await fetch(`${gateway.url}/v1/workspaces`, { headers })).json();
    return list.find((w: { name: string }) => w.name === 'default');
  }
});
