import { ADMIN_HEADERS, openWidgetHarness, type WidgetHarness } from './widget-harness';

/** What a site owner sets on the tag: theme colour, corner, language (texts and errors); phones get a full screen. */
describe('the widget as the site owner configures it', () => {
  let harness: WidgetHarness;

  beforeAll(async () => {
    harness = await openWidgetHarness({
      personas: ['hua-zhibing', 'greeter'],
      // A persona whose greeting names the visitor ({{user}}).
      prepare: async (url) => {
        const base = await (await fetch(`${url}/v1/personas/hua-zhibing`, { headers: ADMIN_HEADERS })).json();
        const saved = await fetch(`${url}/v1/personas/greeter`, {
          method: 'PUT',
          headers: ADMIN_HEADERS,
          body: JSON.stringify({
            ...base.persona,
            id: 'greeter',
            greeting: '你好，{{user}}！',
            alternateGreetings: [],
          }),
        });
        expect(saved.status).toBe(200);
      },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('takes the theme colour and the bottom-left corner, in English', async () => {
    const { page, widget, failures, shot } = await harness.open({
      color: '#e91e63',
      position: 'bottom-left',
      lang: 'en',
    });
    await widget('.msg.persona').first().waitFor();
    const header = await widget('header').evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(header).toBe('rgb(233, 30, 99)');
    const panel = (await widget('.panel').boundingBox())!;
    const launcher = (await widget('.launcher').boundingBox())!;
    expect(panel.x).toBe(20);
    expect(launcher.x).toBe(20);
    await expect(widget('textarea').getAttribute('placeholder')).resolves.toBe('Type a message…');
    await expect(widget('header button.new').textContent()).resolves.toBe('New conversation');
    await expect(widget('header .state').textContent()).resolves.toBe('Listening');
    await expect(widget('header button.voice').getAttribute('aria-label')).resolves.toBe('Read replies aloud');
    await shot('widget-theme-left-en');
    expect(failures).toEqual([]);
    await page.context().close();
  });

  it("follows the visitor's browser language without data-lang, and ignores a colour that is not one", async () => {
    const { page, widget } = await harness.open({ color: 'not-a-colour' }, { context: { locale: 'en-GB' } });
    await widget('.msg.persona').first().waitFor();
    await expect(widget('button.send').getAttribute('aria-label')).resolves.toBe('Send');
    const header = await widget('header').evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(header).toBe('rgb(47, 111, 237)');
    await page.context().close();
    const chinese = await harness.open({}, { context: { locale: 'zh-CN' } });
    await chinese.widget('.msg.persona').first().waitFor();
    await expect(chinese.widget('button.send').getAttribute('aria-label')).resolves.toBe('发送');
    await chinese.page.context().close();
  });

  it.each([
    ['zh', 'zb_widget_not-a-real-key-000000000000', 'hua-zhibing', '连接密钥无效，无法开始对话'],
    [
      'en',
      'zb_widget_not-a-real-key-000000000000',
      'hua-zhibing',
      'The chat key is not valid: the conversation cannot start',
    ],
    ['zh', '', 'lin-daiyu-monkey', '这个对话窗口不能使用该角色'],
    ['en', '', 'lin-daiyu-monkey', 'This chat may not use that persona'],
  ])('shows errors in its language (%s, key %s, persona %s)', async (lang, key, persona, expected) => {
    const { page, widget, shot } = await harness.open({ lang, persona, ...(key ? { key } : {}) });
    await widget('.msg.notice', { hasText: expected }).waitFor();
    if (lang === 'en' && persona === 'lin-daiyu-monkey') await shot('widget-error-en');
    await page.context().close();
  });

  it('says once that the server cannot be reached while it keeps trying', async () => {
    const { page, widget } = await harness.open({ server: 'http://127.0.0.1:9', lang: 'zh' });
    await widget('.msg.notice', { hasText: '无法连接到服务器，正在重试…' }).waitFor();
    await expect(widget('header .state').textContent()).resolves.toBe('连接中…');
    // socket.io retries (about every second or two): still one notice after a few attempts.
    await page.waitForTimeout(3_000);
    await expect(widget('.msg.notice').count()).resolves.toBe(1);
    await page.context().close();
  });

  it('greets a signed-in visitor by the name the site gives (data-visitor-name)', async () => {
    const { page, widget } = await harness.open({ persona: 'greeter', 'visitor-name': '王芳' });
    await widget('.msg.persona', { hasText: '你好，王芳！' }).waitFor();
    await page.context().close();
  });

  it('fills the whole screen on a phone', async () => {
    const { page, widget, failures, shot } = await harness.open(
      {},
      { context: { viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true } },
    );
    await widget('.msg.persona').first().waitFor();
    expect(await widget('.panel').boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 760 });
    await expect(widget('.launcher').isVisible()).resolves.toBe(false);
    await shot('widget-phone');
    await widget('header button.close').click();
    await widget('.launcher').waitFor();
    await expect(widget('.panel').isVisible()).resolves.toBe(false);
    expect(failures).toEqual([]);
    await page.context().close();
  });
});
