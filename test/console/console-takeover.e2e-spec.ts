import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildConsoleIfStale } from '../../scripts/build-console';
import { launchBrowser } from '../support/browser';
import { type ChatClient, connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'console');

/** An operator in the console takes a visitor's live conversation over, answers, and hands it back. */
describe('take-over from the console', () => {
  let gateway: TestApp;
  let browser: Browser;
  let visitor: ChatClient;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await buildConsoleIfStale({ quiet: true });
    [gateway, browser] = await Promise.all([startTestApp(testDatabases()[0]), launchBrowser()]);
    visitor = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
  }, 120_000);
  afterAll(async () => {
    visitor?.close();
    await browser?.close();
    await gateway?.close();
  });

  it('shows the visitor live, sends as the named operator, and hands back to the persona', async () => {
    const { data } = await visitor.request('session.start', { personaId: 'hua-zhibing', visitorId: 'console-visitor' });
    const conversationId = data.conversationId as string;
    await visitor.ask(conversationId, 'm-1', '谷爱凌是谁？');

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
    await context.addInitScript((key) => sessionStorage.setItem('zhibing.console.key', key), TEST_ADMIN_KEY);
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${gateway.url}/console/conversations/${conversationId}`);
    const panel = page.getByTestId('takeover');
    await panel.getByPlaceholder('Your name (the visitor sees it)').fill('Li Na');
    await panel.getByRole('button', { name: 'Take over' }).click();
    await panel.getByText('Taken over by Li Na').waitFor();
    await visitor.waitFor('conversation.takeover', (p) => p.operatorName === 'Li Na');

    const asked = await visitor.request('message', { conversationId, clientMessageId: 'm-2', text: '可以找人工吗？' });
    await panel.locator('.msg', { hasText: '可以找人工吗？' }).waitFor();
    await panel.getByPlaceholder('Your answer…').fill('可以，我是 Li Na。');
    await panel.getByRole('button', { name: 'Send' }).click();
    const answer = await visitor.waitFor('reply.end', (p) => p.from?.name === 'Li Na');
    expect(answer.text).toBe('可以，我是 Li Na。');
    await panel.locator('.msg', { hasText: '可以，我是 Li Na。' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'conversation-takeover.png'), fullPage: true });

    await panel.getByRole('button', { name: 'Hand back' }).click();
    await visitor.waitFor('conversation.handback');
    await panel.getByRole('button', { name: 'Take over' }).waitFor();
    const turns = (await gateway.dataSource.query(
      `SELECT role, text FROM turns WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    )) as { role: string; text: string }[];
    expect(turns.slice(2)).toEqual([
      { role: 'user', text: '可以找人工吗？' },
      { role: 'persona', text: '可以，我是 Li Na。' },
    ]);
    expect(asked.ok).toBe(true);
    expect(failures).toEqual([]);
    await context.close();
  });
});
