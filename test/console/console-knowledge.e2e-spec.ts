import type { Page } from 'playwright-core';
import { type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';
import { TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const GUIDE = [
  '# 谷爱凌',
  '',
  '谷爱凌是中国自由式滑雪运动员，2003年出生于美国旧金山。',
  '',
  '## 比赛',
  '',
  '她在北京冬奥会上获得两枚金牌和一枚银牌。',
  '',
].join('\n');

/** A knowledge admin's session: upload a Markdown document → its passages → search → edit an item → entity page. */
describe('the console for a knowledge admin', () => {
  let session: ConsoleBrowser;
  let gateway: TestApp;
  let page: Page;
  let failures: string[];
  let passages = 0;
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
  const base = () => `${gateway.url}/v1/knowledge-bases/guide`;

  beforeAll(async () => {
    // The refused upload (415/400) and the refused edit are on purpose; chromium logs them as failed resources.
    session = await openConsoleBrowser({ expectedErrors: /status of 4\d\d/ });
    ({ gateway, page, failures } = session);
    await fetch(`${gateway.url}/v1/knowledge-bases`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'guide' }),
    });
    for (const fact of [
      { type: 'triple', head: '谷爱凌', relation: '项目', tail: '自由式滑雪' },
      { type: 'triple', head: '北京冬奥会', relation: '冠军', tail: '谷爱凌' },
    ]) {
      const added = await fetch(`${base()}/items`, { method: 'POST', headers, body: JSON.stringify(fact) });
      if (added.status !== 201) throw new Error(`fact not added: ${added.status} ${await added.text()}`);
    }
    await session.signIn('knowledge/guide');
    await page.getByTestId('knowledge-items').waitFor();
  }, 60_000);

  afterAll(() => session?.close());

  it('uploads a Markdown document with a progress bar and lists it with its passages', async () => {
    await page.getByRole('tab', { name: 'Documents' }).click();
    const documents = page.getByTestId('documents');
    await documents.getByText('No documents yet.').waitFor();
    // Record every value the progress bar shows; the upload is throttled so that XHR reports progress part-way.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=upload-progress]') as HTMLProgressElement | null;
        if (bar) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    // About 300 KB: a second or so at 256 KB/s.
    const padding = `\n## 附录\n\n${Array.from({ length: 6000 }, (_, i) => `第${i}句说明文字。`).join('')}\n`;
    await documents.locator('input[type=file]').setInputFiles({
      name: '谷爱凌.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(GUIDE + padding),
    });
    const report = documents.getByTestId('upload-report');
    await report.waitFor({ timeout: 15_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const listed = await (await fetch(`${base()}/documents`, { headers })).json();
    expect(listed).toEqual([expect.objectContaining({ name: '谷爱凌.md', passages: expect.any(Number) })]);
    passages = listed[0].passages as number;
    expect(passages).toBeGreaterThan(2);
    await expect(report.textContent()).resolves.toBe(
      `谷爱凌.md: cut into ${passages} passages, ${passages} of them new.`,
    );
    await expect(documents.locator('tr[data-document="谷爱凌.md"] [data-testid=passages]').textContent()).resolves.toBe(
      String(passages),
    );
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.some((value) => value > 0 && value < 1)).toBe(true);
    await session.shot('knowledge-documents');
  });

  it('shows a refused document’s typed error in the user’s language, and keeps nothing of it', async () => {
    const documents = page.getByTestId('documents');
    const drop = (name: string) =>
      documents.getByTestId('dropzone').evaluate((zone, fileName) => {
        const data = new DataTransfer();
        data.items.add(new File(['\u0000\u0001binary'], fileName, { type: 'application/octet-stream' }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, name);
    await drop('notes.xyz');
    await expect(documents.getByTestId('upload-error').textContent()).resolves.toBe(
      'notes.xyz: this kind of file is not read (Markdown, text, HTML, PDF or DOCX).',
    );
    await page.getByRole('button', { name: '中文' }).click();
    await drop('笔记.xyz');
    await expect(documents.getByTestId('upload-error').textContent()).resolves.toBe(
      '笔记.xyz：不支持这种文件（支持 Markdown、文本、HTML、PDF、DOCX）。',
    );
    await page.getByRole('button', { name: 'English' }).click();
    const listed = await (await fetch(`${base()}/documents`, { headers })).json();
    expect(listed.map((d: { name: string }) => d.name)).toEqual(['谷爱凌.md']);
  });

  it('searches the items, with the total from X-Total-Count', async () => {
    await page.getByRole('tab', { name: 'Items' }).click();
    const table = page.getByTestId('knowledge-items');
    await table
      .getByTestId('items-total')
      .filter({ hasText: `${passages + 2} in all` })
      .waitFor();
    await table.locator('input[name=q]').fill('冬奥会');
    const api = await fetch(`${base()}/items?q=${encodeURIComponent('冬奥会')}`, { headers });
    const total = api.headers.get('x-total-count');
    expect(total).toBe('2');
    await table
      .getByTestId('items-total')
      .filter({ hasText: `${total} in all` })
      .waitFor();
    await expect(table.locator('tbody tr[data-item]').count()).resolves.toBe(2);
  });

  it('edits an item in place: a field error first, then the new id', async () => {
    const table = page.getByTestId('knowledge-items');
    await table.locator('input[name=q]').fill('两枚金牌');
    await table.getByTestId('items-total').filter({ hasText: '1 in all' }).waitFor();
    const row = table.locator('tbody tr[data-item]');
    const oldId = await row.getAttribute('data-item');
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = table.getByTestId('item-edit');
    await form.locator('textarea[name=text]').fill('   ');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.locator('[data-field=text] .field-error').count()).resolves.toBe(1);

    await form.locator('textarea[name=text]').fill('她在北京冬奥会上获得两枚金牌和一枚银牌，是自由式滑雪大跳台冠军。');
    await form.getByRole('button', { name: 'Save' }).click();
    const saved = await table.getByTestId('item-saved').textContent();
    const newId = /new id is (\S+)\.$/.exec(saved ?? '')?.[1];
    expect(newId).toBeDefined();
    expect(newId).not.toBe(oldId);
    const found = await (await fetch(`${base()}/items?q=${encodeURIComponent('大跳台冠军')}`, { headers })).json();
    expect(found.map((i: { id: string }) => i.id)).toEqual([newId]);
    await session.shot('knowledge-item-edit');
  });

  it('opens an entity page: descriptions, facts both ways, neighbours and the graph', async () => {
    const table = page.getByTestId('knowledge-items');
    await table.locator('input[name=q]').fill('旧金山');
    await table.getByTestId('items-total').filter({ hasText: '1 in all' }).waitFor();
    await table.getByRole('link', { name: '谷爱凌' }).click();
    const entity = page.getByTestId('entity-page');
    await entity.getByTestId('entity-graph').waitFor();
    expect(page.url()).toBe(`${gateway.url}/console/knowledge/guide/entity/${encodeURIComponent('谷爱凌')}`);
    await expect(entity.getByTestId('entity-descriptions').textContent()).resolves.toContain('旧金山');
    await expect(entity.getByTestId('entity-facts').locator('li').allTextContents()).resolves.toEqual([
      '谷爱凌 · 项目 · 自由式滑雪',
      '北京冬奥会 · 冠军 · 谷爱凌',
    ]);
    const nodes = await entity.locator('[data-node]').evaluateAll((n) => n.map((e) => e.getAttribute('data-node')));
    expect(nodes).toEqual(['自由式滑雪', '北京冬奥会']);
    await expect(entity.locator('[data-edge]').count()).resolves.toBe(2);
    await session.shot('knowledge-entity');

    // A neighbour opens its own page: the fact that points at 谷爱凌 is one of its facts.
    await entity.locator('[data-node="北京冬奥会"]').click();
    await page.getByRole('heading', { name: '北京冬奥会' }).waitFor();
    await expect(entity.getByTestId('entity-neighbours').textContent()).resolves.toBe('谷爱凌');
  });

  it('deletes the document with its passages', async () => {
    await page.goto(`${gateway.url}/console/knowledge/guide`);
    await page.getByRole('tab', { name: 'Documents' }).click();
    const documents = page.getByTestId('documents');
    await documents.locator('tr[data-document="谷爱凌.md"]').getByRole('button', { name: 'Remove' }).click();
    await documents.getByText('No documents yet.').waitFor();
    const left = await fetch(`${base()}/items`, { headers });
    expect(left.headers.get('x-total-count')).toBe('2');
    expect(failures).toEqual([]);
  });
});
