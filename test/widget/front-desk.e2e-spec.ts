import { type ChatClient, connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { openWidgetHarness, type WidgetHarness } from './widget-harness';

/**
 * A visit to the shipped front desk in the widget: the desk's suggestions, a registration through the
 * widget form (a typed error beside the fields first, then the confirmation and the stored record),
 * then a hand-off: waiting for a person, an operator who answers under their name, and back.
 */
describe('the widget at the front desk', () => {
  let harness: WidgetHarness;
  let operator: ChatClient;

  beforeAll(async () => {
    harness = await openWidgetHarness({ personas: ['front-desk'] });
    operator = await connectChat(harness.gateway.url, { key: TEST_ADMIN_KEY });
  });
  afterAll(async () => {
    operator?.close();
    await harness?.close();
  });

  it('registers a visitor through the form, then hands them to a person and back', async () => {
    const { page, widget, failures, shot, conversationId } = await harness.open({ persona: 'front-desk' });
    await widget('.msg.persona').first().waitFor();
    await expect(widget('.scenario button.suggestion').allTextContents()).resolves.toEqual([
      '访客登记',
      '现在开门吗？',
      '大厦地址在哪里？',
      '转人工',
    ]);

    await widget('.scenario button.suggestion', { hasText: '访客登记' }).click();
    const form = widget('.scenario form');
    await form.waitFor();
    await expect(widget('.scenario .phase').textContent()).resolves.toBe('访客登记');
    await expect(form.locator('label').allTextContents()).resolves.toEqual([
      '姓名 *',
      '联系电话 *',
      '被访人 *',
      '来访事由 *',
      '来访日期 *',
      '来访时间 *',
    ]);
    await form.locator('input[name=name]').fill('王五');
    await form.locator('input[name=phone]').fill('12345');
    await form.locator('input[name=host]').fill('李老师');
    await form.locator('input[name=purpose]').fill('面试');
    await form.locator('input[name=date]').fill('2027-01-05');
    await form.locator('input[name=time]').fill('09:30');
    await form.getByRole('button', { name: '提交' }).click();
    await form.locator('.form-error', { hasText: '有的信息没填或不正确，请检查标红的项' }).waitFor();
    await expect(form.locator('input[name=phone]').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(form.locator('input[name=host]').getAttribute('aria-invalid')).resolves.toBe('false');
    await shot('widget-front-desk-form-error');
    expect(await (await harness.admin('GET', '/v1/scenario-records')).json()).toEqual([]);

    await form.locator('input[name=phone]').fill('13912345678');
    await form.getByRole('button', { name: '提交' }).click();
    await widget('.msg.persona', { hasText: '姓名：王五' }).waitFor();
    await widget('.scenario button.suggestion', { hasText: '确认' }).click();
    await widget('.msg.persona', { hasText: '好的，已经为您登记好了。' }).waitFor();
    await form.waitFor({ state: 'detached' });
    const records = await (await harness.admin('GET', '/v1/scenario-records?kind=registration')).json();
    expect(records.map((r: { data: unknown }) => r.data)).toEqual([
      { name: '王五', phone: '13912345678', host: '李老师', purpose: '面试', date: '2027-01-05', time: '09:30' },
    ]);

    await widget('.scenario button.suggestion', { hasText: '转人工' }).click();
    await widget('.msg.persona', { hasText: '正在为您转接工作人员' }).waitFor();
    await widget('.scenario .waiting', { hasText: '正在为您转接人工，请稍候' }).waitFor();
    await shot('widget-front-desk-waiting');
    const id = await conversationId();
    expect((await operator.request('operator.join', { conversationId: id })).ok).toBe(true);
    const taken = await harness.admin('POST', `/v1/conversations/${id}/takeover`, { operatorName: '李娜' });
    expect(taken.status).toBe(200);
    await widget('header .name', { hasText: '李娜（人工）' }).waitFor();
    await widget('.scenario .waiting').waitFor({ state: 'detached' });
    await widget('textarea').fill('发票怎么开？');
    await page.keyboard.press('Enter');
    await operator.waitFor('visitor.message', (p) => p.text === '发票怎么开？');
    const sent = await operator.request('operator.message', {
      conversationId: id,
      clientMessageId: 'o-1',
      text: '发票请到二楼财务室开具。',
    });
    expect(sent.ok).toBe(true);
    await widget('.msg.operator', { hasText: '发票请到二楼财务室开具。' }).waitFor();
    await expect(widget('.msg.operator .author').textContent()).resolves.toBe('李娜');
    await shot('widget-front-desk-operator');

    expect((await harness.admin('POST', `/v1/conversations/${id}/handback`)).status).toBe(200);
    await widget('.msg.handover', { hasText: '由助手继续回答' }).waitFor();
    await widget('.scenario button.suggestion', { hasText: '访客登记' }).waitFor();
    await expect(widget('header .name').textContent()).resolves.not.toContain('李娜');
    expect(failures).toEqual([]);
    await page.context().close();
  }, 90_000);
});
