import { ADMIN_HEADERS, openWidgetHarness, type WidgetHarness } from './widget-harness';
import { startScriptedEngine, type ScriptedEngine } from './scripted-engine';

/** Records the avatar's data-state changes in the page (a MutationObserver inside the shadow root). */
const RECORD_STATES = `
  window.__avatarStates = [];
  const avatar = document.querySelector('[data-zhibing-widget]').shadowRoot.querySelector('.avatar');
  new MutationObserver(() => {
    const state = avatar.getAttribute('data-state');
    if (window.__avatarStates.at(-1) !== state) window.__avatarStates.push(state);
  }).observe(avatar, { attributes: true, attributeFilter: ['data-state'] });
`;

/** The persona's face and name in the header, and its states following the reply, with transitions. */
describe("the widget's avatar", () => {
  let engine: ScriptedEngine;
  let harness: WidgetHarness;
  let imageWidth = 0;

  beforeAll(async () => {
    engine = await startScriptedEngine({ pieces: ['你好，', '很高兴认识你。'], intervalMs: 250 });
    harness = await openWidgetHarness({ env: { ZHIBING_ENGINE: 'remote', ZHIBING_REMOTE_URL: engine.url } });
    // The persona's own picture (a PNG drawn by the browser) and an emotion in its grounding.
    const painter = await harness.browser.newPage();
    await painter.setContent('<div style="width:64px;height:64px;background:linear-gradient(#e91e63,#ffc107)"></div>');
    const png = await painter.locator('div').screenshot();
    imageWidth = 64;
    await painter.close();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'face.png');
    const uploaded = await fetch(`${harness.gateway.url}/v1/personas/hua-zhibing/avatar`, {
      method: 'PUT',
      headers: { authorization: ADMIN_HEADERS.authorization },
      body: form,
    });
    expect(uploaded.status).toBe(200);
    const current = await (await harness.admin('GET', '/v1/personas/hua-zhibing')).json();
    const saved = await harness.admin('PUT', '/v1/personas/hua-zhibing', {
      ...current.persona,
      name: '华智冰同学',
      grounding: { ...current.persona.grounding, emotion: '好奇' },
    });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await harness?.close();
    await engine?.close();
  });

  it("shows the persona's image and name, and moves listening → thinking → speaking → listening smoothly", async () => {
    const { page, widget, failures, shot } = await harness.open({});
    const photo = widget('.avatar img.photo');
    await photo.waitFor();
    expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(imageWidth);
    await expect(widget('header .name').textContent()).resolves.toBe('华智冰同学');
    await expect(widget('.avatar svg.face').count()).resolves.toBe(0);
    const avatar = widget('.avatar');
    // The ring, the scale and the glow change by transitions, not jumps.
    const transition = await avatar.evaluate((element) => {
      const style = getComputedStyle(element);
      return { property: style.transitionProperty, duration: style.transitionDuration };
    });
    expect(transition.property).toContain('box-shadow');
    expect(transition.property).toContain('transform');
    expect(transition.duration.split(', ').every((d) => parseFloat(d) > 0)).toBe(true);

    await page.evaluate(RECORD_STATES);
    await widget('textarea').fill('你好');
    await page.keyboard.press('Enter');
    await widget('.avatar[data-state=speaking]').waitFor();
    await expect(widget('header .emotion').textContent()).resolves.toBe('好奇');
    await expect(widget('header .state').textContent()).resolves.toBe('正在说…');
    await shot('widget-avatar-speaking');
    await widget('.msg.persona', { hasText: '很高兴认识你' }).waitFor();
    await widget('.avatar[data-state=listening]').waitFor();
    expect(await page.evaluate(() => (window as any).__avatarStates)).toEqual(['thinking', 'speaking', 'listening']);
    await expect(avatar.getAttribute('data-emotion')).resolves.toBe('好奇');
    expect(failures).toEqual([]);
    await page.context().close();
  });
});
