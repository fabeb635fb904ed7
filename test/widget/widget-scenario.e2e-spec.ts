import { putScenarioPersona, testFlow } from '../scenario/scenario-persona';
import { openWidgetHarness, type WidgetHarness } from './widget-harness';

/** The scenario bar against the real runtime: a test persona with a flow (prompt → chat with a timer → end). */
describe('the widget runs a scenario', () => {
  let harness: WidgetHarness;
  const conversations = (personaId: string) =>
    harness.gateway.dataSource.query(`SELECT id FROM conversations WHERE persona_slug = $1`, [personaId]) as Promise<
      { id: string }[]
    >;

  beforeAll(async () => {
    harness = await openWidgetHarness({
      personas: ['scenario-slow', 'scenario-quick'],
      prepare: async (url) => {
        await putScenarioPersona(url, 'scenario-slow', testFlow(600));
        await putScenarioPersona(url, 'scenario-quick', testFlow(3));
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('phase, countdown, suggestions that send, resume after a reload, the end button, a new conversation', async () => {
    const { page, widget, failures, shot, conversationId } = await harness.open({ persona: 'scenario-slow' });
    await widget('.msg.persona', { hasText: '请先简单介绍一下你自己' }).waitFor();
    await expect(widget('.scenario').isVisible()).resolves.toBe(false);
    await widget('textarea').fill('我是李四。');
    await page.keyboard.press('Enter');
    await widget('.msg.persona', { hasText: '谢谢介绍' }).waitFor();
    await widget('.scenario .phase', { hasText: '答疑环节' }).waitFor();
    await expect(widget('.scenario .countdown').textContent()).resolves.toMatch(/^(10:00|09:5\d)$/);
    await expect(widget('.scenario button.suggestion').allTextContents()).resolves.toEqual([
      '大厦几点开门？',
      '有停车场吗？',
    ]);
    await shot('widget-scenario-live');

    await widget('.scenario button.suggestion', { hasText: '大厦几点开门？' }).click();
    await widget('.msg.user', { hasText: '大厦几点开门？' }).waitFor();
    await widget('.msg.persona', { hasText: '八点' }).waitFor();

    // A reload resumes the scenario exactly where it was, countdown included.
    const first = await conversationId();
    await page.reload();
    await widget('.scenario .phase', { hasText: '答疑环节' }).waitFor();
    await expect(widget('.scenario .countdown').textContent()).resolves.toMatch(/^(10:00|09:[0-5]\d)$/);
    expect(await conversationId()).toBe(first);

    await widget('.scenario button.end', { hasText: '结束' }).click();
    await widget('.msg.persona', { hasText: '时间到了，谢谢你的参与，再见！' }).waitFor();
    await widget('.scenario .ended', { hasText: '本次对话已结束。' }).waitFor();
    await expect(widget('.scenario .countdown').count()).resolves.toBe(0);
    await expect(widget('.scenario button.suggestion').count()).resolves.toBe(0);
    await shot('widget-scenario-live-ended');
    const [stored] = await harness.gateway.dataSource.query(
      `SELECT scenario_state->>'phase' AS phase, (scenario_state->>'ended')::boolean AS ended
       FROM conversations WHERE id = $1`,
      [first],
    );
    expect(stored).toEqual({ phase: 'close', ended: true });

    await widget('.scenario button.restart', { hasText: '新对话' }).click();
    await page.waitForFunction(
      (old) => JSON.parse(localStorage.getItem('zhibing:scenario-slow') ?? '{}').conversationId !== old,
      first,
    );
    await widget('.msg.persona', { hasText: '请先简单介绍一下你自己' }).waitFor();
    await expect(widget('.msg.user').count()).resolves.toBe(0);
    await expect(widget('.scenario').isVisible()).resolves.toBe(false);
    expect(await conversations('scenario-slow')).toHaveLength(2);
    expect(failures).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('the countdown runs out: the persona closes on its own and the widget offers a new conversation', async () => {
    const { page, widget, failures } = await harness.open({ persona: 'scenario-quick', lang: 'en' });
    await widget('.msg.persona').first().waitFor();
    await widget('textarea').fill('I am Zhang San.');
    await page.keyboard.press('Enter');
    await widget('.scenario .countdown').waitFor();
    await widget('.msg.persona', { hasText: '时间到了' }).waitFor({ timeout: 20_000 });
    await widget('.scenario .ended', { hasText: 'This conversation has ended.' }).waitFor();
    await expect(widget('.scenario button.restart').textContent()).resolves.toBe('New conversation');
    expect(failures).toEqual([]);
    await page.context().close();
  }, 60_000);
});
