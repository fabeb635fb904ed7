import { type ChatClient, connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { openWidgetHarness, type WidgetHarness } from './widget-harness';

/** The widget on a customer's page while an operator takes the conversation over and hands it back. */
describe('the widget during an operator take-over', () => {
  let harness: WidgetHarness;
  let operator: ChatClient;

  beforeAll(async () => {
    harness = await openWidgetHarness();
    operator = await connectChat(harness.gateway.url, { key: TEST_ADMIN_KEY });
  });
  afterAll(async () => {
    operator?.close();
    await harness?.close();
  });

  it("shows who joined, the operator's name on their answers, and when the persona is back", async () => {
    const opened = await harness.open({ lang: 'zh' });
    const { page, widget, failures } = opened;
    await widget('.msg.persona').first().waitFor();
    const conversationId = await opened.conversationId();
    await operator.request('operator.join', { conversationId });
    const post = (path: string, body?: unknown) =>
      harness.admin('POST', `/v1/conversations/${conversationId}/${path}`, body);
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
    await opened.shot('widget-takeover');
    // Only the visitor's own bubble: the persona wrote nothing while the operator held the conversation.
    const replies = await harness.gateway.dataSource.query(
      `SELECT count(*)::int AS n FROM turns WHERE role = 'persona' AND trace->'operator' IS NULL`,
    );
    expect(replies[0].n).toBe(0);
    expect(failures).toEqual([]);
    await page.close();
  });
});
