import type { Namespace } from 'socket.io';
import { ChatGateway } from '../../apps/gateway/src/chat/chat.gateway';
import { openWidgetHarness, type WidgetHarness } from './widget-harness';
import { startScriptedEngine, type ScriptedEngine } from './scripted-engine';

/** Stop, retry and new conversation, against a real gateway whose engine answers as each test says. */
describe('the widget controls a reply: stop, retry, new conversation', () => {
  let engine: ScriptedEngine;
  let harness: WidgetHarness;
  const turns = (conversationId: string) =>
    harness.gateway.dataSource.query(
      `SELECT role, status, text, client_message_id AS "clientMessageId" FROM turns
       WHERE conversation_id = $1 ORDER BY seq`,
      [conversationId],
    ) as Promise<{ role: string; status: string; text: string; clientMessageId: string | null }[]>;

  beforeAll(async () => {
    engine = await startScriptedEngine({ pieces: ['谷爱凌是', '自由式滑雪运动员。'] });
    harness = await openWidgetHarness({ env: { ZHIBING_ENGINE: 'remote', ZHIBING_REMOTE_URL: engine.url } });
  });
  afterAll(async () => {
    await harness?.close();
    await engine?.close();
  });

  it('shows a stop button while a reply streams; stop cancels it and keeps what was written', async () => {
    const { page, widget, failures, shot, conversationId } = await harness.open({});
    await widget('.msg.persona').first().waitFor();
    engine.queue.push({ pieces: Array.from({ length: 40 }, (_, i) => `第${i + 1}句。`), intervalMs: 150 });
    await widget('textarea').fill('讲个长故事');
    await page.keyboard.press('Enter');
    await widget('.msg.persona', { hasText: '第2句' }).waitFor();
    const stop = widget('.composer button.stop');
    await expect(stop.getAttribute('aria-label')).resolves.toBe('停止');
    await shot('widget-stop-button');
    await stop.click();
    await widget('.msg.persona.interrupted').waitFor();
    await widget('.composer button.send').waitFor();
    const stored = await turns(await conversationId());
    expect(stored.map((t) => [t.role, t.status])).toEqual([
      ['user', 'complete'],
      ['persona', 'interrupted'],
    ]);
    // What the visitor saw is what was kept: the partial text, cut where the stop landed.
    const shown = (await widget('.msg.persona.interrupted').textContent())!;
    expect(stored[1].text.startsWith('第1句。第2句。')).toBe(true);
    expect(stored[1].text.length).toBeLessThan(40 * 5);
    expect(shown).toBe(stored[1].text);
    expect(failures).toEqual([]);
    await page.context().close();
  });

  it('a failed reply offers a retry that resends the same message id and gets a new reply', async () => {
    const { page, widget, failures, shot, conversationId } = await harness.open({});
    await widget('.msg.persona').first().waitFor();
    engine.queue.push({ pieces: ['让我想'], die: true });
    await widget('textarea').fill('谷爱凌是谁？');
    await page.keyboard.press('Enter');
    const failure = widget('.failure', { hasText: '回答没有完成，请重试' });
    await failure.waitFor();
    await shot('widget-retry');
    await failure.locator('button.retry').click();
    await widget('.msg.persona', { hasText: '谷爱凌是自由式滑雪运动员。' }).waitFor();
    await expect(widget('.failure').count()).resolves.toBe(0);
    const stored = await turns(await conversationId());
    expect(stored.map((t) => [t.role, t.status])).toEqual([
      ['user', 'complete'],
      ['persona', 'failed'],
      ['persona', 'complete'],
    ]);
    // One user turn: the retry was the same message (same clientMessageId), not a second one.
    expect(stored.filter((t) => t.role === 'user')).toHaveLength(1);
    expect(failures).toEqual([]);
    await page.context().close();
  });

  it('a dropped connection mid-reply: after reconnecting, the whole reply once and no stop button', async () => {
    const { page, widget, failures } = await harness.open({});
    await widget('.msg.persona').first().waitFor();
    engine.queue.push({ pieces: Array.from({ length: 5 }, (_, i) => `片段${i + 1}。`), intervalMs: 100 });
    await widget('textarea').fill('慢慢说');
    await page.keyboard.press('Enter');
    await widget('.msg.persona', { hasText: '片段2' }).waitFor();
    // The network drops (the transport closes under the socket; the client reconnects on its own, after
    // 0.5 s at the soonest): the reply ends meanwhile (3 pieces, 0.1 s apart), so the widget misses its end.
    const chat = (harness.gateway.app.get(ChatGateway) as unknown as { server: Namespace }).server;
    for (const socket of chat.sockets.values()) socket.conn.close();
    const whole = Array.from({ length: 5 }, (_, i) => `片段${i + 1}。`).join('');
    await widget('.msg.persona', { hasText: whole }).waitFor({ timeout: 15_000 });
    await widget('.composer button.send').waitFor();
    await expect(widget('.msg.persona', { hasText: '片段1' }).count()).resolves.toBe(1);
    await expect(widget('.msg.user', { hasText: '慢慢说' }).count()).resolves.toBe(1);
    expect(failures).toEqual([]);
    await page.context().close();
  });

  it('"new conversation" starts a fresh one and keeps the old one stored', async () => {
    const { page, widget, failures, shot, conversationId } = await harness.open({});
    await widget('.msg.persona').first().waitFor();
    await widget('textarea').fill('你好');
    await page.keyboard.press('Enter');
    await widget('.msg.persona', { hasText: '自由式滑雪运动员' }).waitFor();
    const first = await conversationId();
    await widget('header button.new').click();
    await page.waitForFunction((old) => {
      const saved = JSON.parse(localStorage.getItem('zhibing:hua-zhibing') ?? '{}');
      return saved.conversationId && saved.conversationId !== old;
    }, first);
    await expect(widget('.msg.user').count()).resolves.toBe(0);
    await expect(widget('.msg.persona').count()).resolves.toBe(1);
    await shot('widget-new-conversation');
    const second = await conversationId();
    expect((await turns(first)).map((t) => t.text)).toEqual(['你好', '谷爱凌是自由式滑雪运动员。']);
    expect(await turns(second)).toEqual([]);
    // A reload resumes the new conversation, not the old one.
    await page.reload();
    await widget('.msg.persona').first().waitFor();
    await expect(widget('.msg.user').count()).resolves.toBe(0);
    expect(await conversationId()).toBe(second);
    expect(failures).toEqual([]);
    await page.context().close();
  });
});
