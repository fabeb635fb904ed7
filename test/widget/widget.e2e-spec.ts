import { openWidgetHarness, type WidgetHarness } from './widget-harness';

/** A customer's site on its own origin that embeds the widget with one script tag. */
describe('the embeddable widget in a real browser', () => {
  let harness: WidgetHarness;

  beforeAll(async () => {
    harness = await openWidgetHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('greets, answers a question with knowledge, and resumes the conversation after a reload', async () => {
    const opened = await harness.open({ lang: 'zh' });
    const { page, failures } = opened;

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
    await opened.shot('widget-answer');

    const stored = await harness.gateway.dataSource.query(`SELECT role, status FROM turns ORDER BY created_at, seq`);
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
