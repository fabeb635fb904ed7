import * as fs from 'node:fs';
import { buildWidgetIfStale, widgetFile } from '../../scripts/build-widget';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

describe('the gateway serves the built widget', () => {
  let gateway: TestApp;

  beforeAll(async () => {
    await buildWidgetIfStale({ quiet: true });
    gateway = await startTestApp(testDatabases()[0]);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('/widget.js is the build, to any origin, with an ETag that answers 304', async () => {
    const response = await fetch(`${gateway.url}/widget.js`, { headers: { origin: 'https://shop.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(Buffer.from(await response.arrayBuffer()).equals(fs.readFileSync(widgetFile))).toBe(true);
    const etag = response.headers.get('etag')!;
    const again = await fetch(`${gateway.url}/widget.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it("/widget/demo passes the widget's options through as data-* attributes, escaped", async () => {
    const page = await (
      await fetch(`${gateway.url}/widget/demo?key=k1&persona=mei&lang=en&color=%23e91e63&position=bottom-left&x="y`)
    ).text();
    expect(page).toContain(
      '<script src="/widget.js" data-key="k1" data-persona="mei" data-lang="en" data-color="#e91e63" ' +
        'data-position="bottom-left" data-open="true" defer></script>',
    );
    const hostile = await (await fetch(`${gateway.url}/widget/demo?persona="><script>alert(1)</script>`)).text();
    expect(hostile).not.toContain('<script>alert(1)');
    expect(hostile).toContain('data-persona="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
  });
});
