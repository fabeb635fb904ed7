import { openWidgetHarness, type WidgetHarness } from './widget-harness';

/**
 * Headless chromium has no speech voices, so the page gets a speechSynthesis that behaves like the
 * browser's (a queue; start, then end after `__speechMs`; cancel ends the current utterance) and
 * records what it was asked to say. Everything else is the real widget.
 */
const FAKE_SPEECH = `
  window.__spoken = [];
  window.__cancels = 0;
  window.__speechMs = 1500;
  class FakeUtterance { constructor(text) { this.text = text; this.lang = ''; } }
  const synth = {
    queue: [], current: null, timer: 0,
    speak(utterance) {
      window.__spoken.push({ text: utterance.text, lang: utterance.lang });
      this.queue.push(utterance);
      this.next();
    },
    next() {
      if (this.current || this.queue.length === 0) return;
      const utterance = (this.current = this.queue.shift());
      this.timer = setTimeout(() => {
        utterance.onstart?.();
        this.timer = setTimeout(() => { this.current = null; utterance.onend?.(); this.next(); }, window.__speechMs);
      }, 50);
    },
    cancel() {
      window.__cancels++;
      clearTimeout(this.timer);
      this.queue = [];
      const utterance = this.current;
      this.current = null;
      utterance?.onerror?.({ error: 'interrupted' });
    },
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = FakeUtterance;
`;

describe('the widget reads replies aloud', () => {
  let harness: WidgetHarness;

  beforeAll(async () => {
    harness = await openWidgetHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('with data-voice="on": speaks each reply, the avatar speaks while the audio plays, stop silences it', async () => {
    const { page, widget, failures, shot } = await harness.open({ voice: 'on' }, { initScript: FAKE_SPEECH });
    await widget('.msg.persona').first().waitFor();
    await expect(widget('header button.voice').getAttribute('aria-pressed')).resolves.toBe('true');
    await widget('textarea').fill('谷爱凌是谁？');
    await page.keyboard.press('Enter');
    const reply = widget('.msg.persona', { hasText: '自由式滑雪' });
    await reply.waitFor();
    await widget('.avatar[data-state=speaking]').waitFor();
    const spoken = await page.evaluate(() => (window as any).__spoken);
    expect(spoken).toEqual([{ text: await reply.textContent(), lang: 'zh-CN' }]);
    // The reply is written; the voice still plays: the button stops it.
    const stop = widget('.composer button.stop');
    await stop.waitFor();
    await shot('widget-voice-speaking');
    await stop.click();
    await widget('.avatar[data-state=listening]').waitFor();
    await widget('.composer button.send').waitFor();
    expect(await page.evaluate(() => (window as any).__cancels)).toBeGreaterThanOrEqual(1);

    // Played to its end, the avatar goes back to listening on its own.
    await page.evaluate(() => ((window as any).__speechMs = 300));
    await widget('textarea').fill('你好');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as any).__spoken.length === 2);
    await widget('.avatar[data-state=speaking]').waitFor();
    await widget('.avatar[data-state=listening]').waitFor();
    expect(failures).toEqual([]);
    await page.context().close();
  });

  it('without data-voice: silent until the visitor turns the voice on, and silent again when turned off', async () => {
    const { page, widget, failures } = await harness.open({ lang: 'en' }, { initScript: FAKE_SPEECH });
    await widget('.msg.persona').first().waitFor();
    const toggle = widget('header button.voice');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await widget('textarea').fill('谷爱凌是谁？');
    await page.keyboard.press('Enter');
    await widget('.msg.persona', { hasText: '自由式滑雪' }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as any).__spoken)).toEqual([]);

    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(toggle.getAttribute('aria-label')).resolves.toBe('Stop reading replies aloud');
    await widget('textarea').fill('你好');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as any).__spoken.length === 1);
    expect(await page.evaluate(() => (window as any).__spoken[0].lang)).toBe('en-US');
    await toggle.click();
    await widget('.avatar[data-state=listening]').waitFor();
    await widget('textarea').fill('再见');
    await page.keyboard.press('Enter');
    await widget('.msg.user', { hasText: '再见' }).waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-zhibing-widget]')!.shadowRoot!.querySelectorAll('.msg.persona').length >= 4,
    );
    expect(await page.evaluate(() => (window as any).__spoken.length)).toBe(1);
    expect(failures).toEqual([]);
    await page.context().close();
  });
});
