import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import { type ChatClient, connectChat } from '../support/chat-client';
import { type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';
import { TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/** A front desk's operator in the console: the registrations visitors left, and the queue of visitors asking for a person. */
describe('registrations and hand-offs in the console', () => {
  let session: ConsoleBrowser;
  let gateway: TestApp;
  let page: Page;
  const visitors: ChatClient[] = [];
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

  const visit = async (visitorId: string) => {
    const client = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
    visitors.push(client);
    const started = await client.request('session.start', { personaId: 'front-desk', visitorId });
    if (!started.ok) throw new Error(`session.start refused: ${JSON.stringify(started.error)}`);
    return { client, conversationId: started.data.conversationId as string };
  };

  /** A visitor registers through the widget's form, then confirms in words. */
  const register = async (name: string, phone: string) => {
    const { client, conversationId } = await visit(`v-${phone}`);
    await client.ask(conversationId, 'r-1', '我要访客登记');
    const state = await client.waitFor('scenario.state', (s) => s.scenario.form !== undefined);
    const values = { name, phone, host: '李老师', purpose: '商务洽谈', date: '2026-12-03', time: '15:00' };
    const submitted = await client.request('scenario.action', {
      conversationId,
      action: 'form',
      phase: state.scenario.form.phase,
      values,
    });
    if (!submitted.ok) throw new Error(`form refused: ${JSON.stringify(submitted.error)}`);
    await client.ask(conversationId, 'r-2', '确认');
    return conversationId;
  };

  beforeAll(async () => {
    session = await openConsoleBrowser();
    ({ gateway, page } = session);
  }, 60_000);
  afterAll(async () => {
    for (const client of visitors) client.close();
    await session?.close();
  });

  it('shows the stored registrations with the total, and exports them as CSV', async () => {
    const zhang = await register('张三', '13800138000');
    await register('李四', '13900139000');
    const api = await fetch(`${gateway.url}/v1/scenario-records?kind=registration`, { headers });
    expect(api.headers.get('x-total-count')).toBe('2');

    await session.signIn('scenarios/registrations');
    const table = page.getByTestId('registrations');
    await table.getByTestId('registrations-total').filter({ hasText: '2 in all' }).waitFor();
    // Columns as the front desk's form asks them, with its labels.
    const headings = await table.locator('thead th').allTextContents();
    expect(headings.slice(2, 8)).toEqual(['姓名', '联系电话', '被访人', '来访事由', '来访日期', '来访时间']);
    const names = await table.locator('tr[data-record] td[data-field=name]').allTextContents();
    expect(names.sort()).toEqual(['张三', '李四']);
    const row = table.locator('tr[data-record]', { hasText: '张三' });
    await expect(row.locator('td[data-field=phone]').textContent()).resolves.toBe('13800138000');
    await expect(row.getByRole('link').textContent()).resolves.toBe(zhang.slice(0, 8));
    await session.shot('registrations');

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      table.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('registrations.csv');
    const exported = fs.readFileSync((await csv.path())!, 'utf8');
    const fromApi = await (
      await fetch(`${gateway.url}/v1/scenario-records?kind=registration&format=csv`, { headers })
    ).text();
    expect(exported).toBe(fromApi);
    expect(exported).toContain('13900139000');
  });

  it('lists waiting visitors, adds new ones live, and takes one over', async () => {
    const early = await visit('v-early');
    await early.client.ask(early.conversationId, 'h-1', '转人工');
    await page.getByRole('tab', { name: 'Hand-offs' }).click();
    const queue = page.getByTestId('handoffs');
    await queue.locator(`tr[data-handoff="${early.conversationId}"]`).waitFor();
    await queue.getByTestId('handoffs-live').waitFor();

    // Asked while the page is open: it comes over the operator socket, no reload.
    const late = await visit('v-late');
    await late.client.ask(late.conversationId, 'h-1', '我想找工作人员');
    await queue.locator(`tr[data-handoff="${late.conversationId}"]`).waitFor();
    await queue.getByTestId('handoffs-waiting').filter({ hasText: '2 waiting' }).waitFor();

    await queue.locator(`tr[data-handoff="${late.conversationId}"]`).getByRole('button', { name: 'Take over' }).click();
    const panel = queue.getByTestId('takeover');
    await panel.getByPlaceholder('Your name (the visitor sees it)').fill('王经理');
    await panel.getByRole('button', { name: 'Take over' }).click();
    await panel.getByText('Taken over by 王经理').waitFor();
    await late.client.waitFor('conversation.takeover', (p) => p.operatorName === '王经理');
    // Taken: the request leaves the queue; the other visitor still waits.
    await queue.locator(`tr[data-handoff="${late.conversationId}"]`).waitFor({ state: 'detached' });
    await queue.getByTestId('handoffs-waiting').filter({ hasText: '1 waiting' }).waitFor();
    await panel.getByPlaceholder('Your answer…').fill('您好，我是王经理，请问有什么可以帮您？');
    await panel.getByRole('button', { name: 'Send' }).click();
    const answer = await late.client.waitFor('reply.end', (p) => p.from?.name === '王经理');
    expect(answer.text).toBe('您好，我是王经理，请问有什么可以帮您？');
    await session.shot('handoff-queue');
    expect(session.failures).toEqual([]);
  });
});
