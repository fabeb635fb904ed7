import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { buildConsoleIfStale, consoleDir } from '../../scripts/build-console';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

/** The gateway serves the built console at /console, with deep links and `/` leading there. */
describe('the gateway serves the console', () => {
  let gateway: TestApp;

  beforeAll(async () => {
    await buildConsoleIfStale({ quiet: true });
    gateway = await startTestApp(testDatabases()[0]);
  }, 60_000);

  afterAll(() => gateway?.close());

  it('redirects / to /console/ and serves index.html for every console route', async () => {
    const root = await fetch(`${gateway.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    for (const route of ['/console', '/console/', '/console/personas/hua-zhibing', '/console/keys']) {
      const page = await fetch(`${gateway.url}${route}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      await expect(page.text()).resolves.toContain('<div id="root"></div>');
    }
  });

  it('serves the hashed assets the page names, cached for good', async () => {
    const html = await (await fetch(`${gateway.url}/console/`)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${gateway.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = await asset.text();
    expect(body).toBe(fs.readFileSync(path.join(consoleDir, script!.replace('/console/', '')), 'utf8'));
  });

  it('answers a missing file, a dotfile or a way out of the folder with a 404 problem', async () => {
    // Sent as written (fetch would normalise the dots away before they reach the gateway).
    const raw = (route: string) =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const { hostname, port } = new URL(gateway.url);
        http
          .get({ hostname, port, path: route }, (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body }));
          })
          .on('error', reject);
      });
    for (const route of [
      '/console/assets/missing-1234.js',
      '/console/.build-stamp',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/..%2F..%2Fpackage.json',
    ]) {
      const response = await raw(route);
      expect({ route, status: response.status }).toEqual({ route, status: 404 });
      expect(response.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'console_file_not_found' });
    }
  });
});
