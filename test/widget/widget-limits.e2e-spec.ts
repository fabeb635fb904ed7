import { openWidgetHarness, type WidgetHarness } from './widget-harness';

/** A message the gateway refuses (rate limit): not stored, said in the widget's language, with a retry. */
describe('the widget when a message is refused', () => {
  let harness: WidgetHarness;

  beforeAll(async () => {
    harness = await openWidgetHarness({ env: { ZHIBING_LIMIT_WIDGET_MESSAGES: '1' } });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('over the message limit: the error in English beside the message, a retry, nothing stored', async () => {
    const { page, widget, failures, shot, conversationId } = await harness.open({ lang: 'en' });
    await widget('.msg.persona').first().waitFor();
    await widget('textarea').fill('谷爱凌是谁？');
    await page.keyboard.press('Enter');
    await widget('.msg.persona', { hasText: '自由式滑雪' }).waitFor();
    await widget('textarea').fill('再问一次');
    await page.keyboard.press('Enter');
    const failure = widget('.failure', { hasText: 'Too many messages: try again in a minute' });
    await failure.waitFor();
    await expect(failure.locator('button.retry').textContent()).resolves.toBe('Retry');
    await expect(widget('.msg.notice').count()).resolves.toBe(0);
    await shot('widget-rate-limited-en');
    const stored = await harness.gateway.dataSource.query(
      `SELECT text FROM turns WHERE conversation_id = $1 AND role = 'user'`,
      [await conversationId()],
    );
    expect(stored).toEqual([{ text: '谷爱凌是谁？' }]);
    expect(failures).toEqual([]);
    await page.context().close();
  });
});
