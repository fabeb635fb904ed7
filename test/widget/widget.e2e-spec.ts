import * as fs from 'node:fs';
import * as path from 'node:path';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { buildWidgetIfStale } from '../../scripts/build-widget';
import { launchBrowser } from '../support/browser';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';
import { WIDGET_ARTIFACTS } from './widget-harness';

/** A customer's site on its own origin that embeds the widget with one script tag. */
async function hostSite(page: () => string): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the embeddable widget in a real browser', () => {
  const database = testDatabases()[0];
  let gateway: TestApp;
  let site: http.Server;
  let browser: Browser;
  let siteUrl: string;

  beforeAll(async () => {
    fs.mkdirSync(WIDGET_ARTIFACTS, { recursive: true });
    await buildWidgetIfStale({ quiet: true });
    gateway = await startTestApp(database);
    // The key must allow the site's origin, which is known once the site listens.
    let key = '';
    ({ server: site, url: siteUrl } = await hostSite(
      () => `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>欢迎光临</h1>
<script src="${gateway.url}/widget.js" data-key="${key}" data-persona="hua-zhibing" data-lang="zh"
 data-open="true" defer></script></body></html>`,
    ));
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const workspaces = (await (await fetch(`${gateway.url}/v1/workspaces`, { headers })).json()) as {
      id: string;
      name: string;
    }[];
    const created = await fetch(
      `${gateway.url}/v1/workspaces/${workspaces.find((w) => w.name === 'default')!.id}/keys`,
      {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'shop', scope: 'widget', personaIds: ['hua-zhibing'], allowedOrigins: [siteUrl] }),
      },
    );
    key = ((await created.json()) as { key: string }).key;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    site?.close();
    await gateway?.close();
  });

  it('greets, answers a question with knowledge, and resumes the conversation after a reload', async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') failures.push(message.text());
    });
    await page.goto(siteUrl);

    const log = page.locator('[data-zhibing-widget] .log');
    await page
      .locator('[data-zhibing-widget] .msg.persona')
      .first()
      .waitFor()
      .catch(async (error) => {
        const dom = await page.evaluate(
          () =>
            document.querySelector('[data-zhibing-widget]')?.shadowRoot?.innerHTML.slice(-600) ??
            document.body.innerHTML.slice(0, 600),
        );
        throw new Error(`${(error as Error).message}\nbrowser errors: ${failures.join(' | ')}\nwidget: ${dom}`);
      });
    await expect(log.textContent()).resolves.toContain('华智冰');
    await expect(page.locator('[data-zhibing-widget] .name').textContent()).resolves.toBe('华智冰');
    // The socket.io client is the widget's own: nothing is added to the customer's page.
    expect(await page.evaluate(() => ['io', 'eio'].filter((name) => name in window))).toEqual([]);

    await page.locator('[data-zhibing-widget] textarea').fill('谷爱凌是谁？');
    await page.keyboard.press('Enter');
    await page.locator('[data-zhibing-widget] .msg.persona', { hasText: '自由式滑雪' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(WIDGET_ARTIFACTS, 'widget-answer.png') });

    const stored = await gateway.dataSource.query(`SELECT role, status FROM turns ORDER BY created_at, seq`);
    expect(stored).toEqual([
      { role: 'user', status: 'complete' },
      { role: 'persona', status: 'complete' },
    ]);

    await page.reload();
    await page.locator('[data-zhibing-widget] .msg.user', { hasText: '谷爱凌是谁？' }).waitFor();
    await expect(page.locator('[data-zhibing-widget] .msg.persona', { hasText: '自由式滑雪' }).count()).resolves.toBe(
      1,
    );
    expect(failures).toEqual([]);
    await page.close();
  });
});
