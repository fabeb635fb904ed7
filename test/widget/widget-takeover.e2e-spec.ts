import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildWidgetIfStale } from '../../scripts/build-widget';
import { launchBrowser } from '../support/browser';
import { type ChatClient, connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';
import { WIDGET_ARTIFACTS } from './widget-harness';

/** The widget on a customer's page while an operator takes the conversation over and hands it back. */
describe('the widget during an operator take-over', () => {
  let gateway: TestApp;
  let site: http.Server;
  let siteUrl: string;
  let browser: Browser;
  let operator: ChatClient;
  let key = '';
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    fs.mkdirSync(WIDGET_ARTIFACTS, { recursive: true });
    await buildWidgetIfStale({ quiet: true });
    gateway = await startTestApp(testDatabases()[0]);
    site = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body>
<script src="${gateway.url}/widget.js" data-key="${key}" data-persona="hua-zhibing" data-lang="zh"
 data-open="true" defer></script></body></html>`,
      ),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
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
    operator = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
  });
  afterAll(async () => {
    operator?.close();
    await browser?.close();
    site?.close();
    await gateway?.close();
  });

  it("shows who joined, the operator's name on their answers, and when the persona is back", async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(siteUrl);
    const widget = (selector: string, options?: { hasText: string }) =>
      page.locator(`[data-zhibing-widget] ${selector}`, options);
    await widget('.msg.persona').first().waitFor();
    const conversationId = await page.evaluate(
      () => JSON.parse(localStorage.getItem('zhibing:hua-zhibing') ?? '{}').conversationId as string,
    );
    await operator.request('operator.join', { conversationId });
    const post = (path: string, body?: unknown) =>
      fetch(`${gateway.url}/v1/conversations/${conversationId}/${path}`, {
        method: 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await post('takeover', { operatorName: '李娜' })).status).toBe(200);
    await widget('.msg.handover', { hasText: '李娜 接入了对话' }).waitFor();
    // The header says who answers now.
    await expect(widget('header .name').textContent()).resolves.toBe('李娜（人工）');

    await widget('textarea').fill('我要找人工');
    await page.keyboard.press('Enter');
    const heard = await operator.waitFor('visitor.message', (p) => p.text === '我要找人工');
    const sent = await operator.request('operator.message', {
      conversationId,
      clientMessageId: 'o-1',
      text: '您好，请讲。',
    });
    expect(sent.ok).toBe(true);
    const answer = widget('.msg.operator');
    await answer.waitFor();
    await expect(answer.locator('.author').textContent()).resolves.toBe('李娜');
    await expect(answer.textContent()).resolves.toBe('李娜您好，请讲。');
    expect(heard.conversationId).toBe(conversationId);

    expect((await post('handback')).status).toBe(200);
    await widget('.msg.handover', { hasText: '由助手继续回答' }).waitFor();
    await expect(widget('header .name').textContent()).resolves.toBe('华智冰');
    await page.screenshot({ path: path.join(WIDGET_ARTIFACTS, 'widget-takeover.png') });
    // Only the visitor's own bubble: the persona wrote nothing while the operator held the conversation.
    const replies = await gateway.dataSource.query(
      `SELECT count(*)::int AS n FROM turns WHERE role = 'persona' AND trace->'operator' IS NULL`,
    );
    expect(replies[0].n).toBe(0);
    expect(failures).toEqual([]);
    await page.close();
  });
});
