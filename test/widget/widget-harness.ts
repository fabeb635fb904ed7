import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { buildWidgetIfStale } from '../../scripts/build-widget';
import { launchBrowser } from '../support/browser';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { type TestDatabase, testDatabases } from '../support/test-databases';

/** Where the widget's screenshots go (next to the console's; CI keeps test-artifacts/). */
export const WIDGET_ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'widget');

export const ADMIN_HEADERS = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

export interface WidgetPage {
  page: Page;
  /** A locator inside the widget's shadow root. */
  widget(selector: string, options?: { hasText?: string | RegExp }): Locator;
  /** Page errors and console errors (a test asserts it stays empty). */
  failures: string[];
  shot(name: string): Promise<void>;
  /** The conversation the widget saved for its persona. */
  conversationId(persona?: string): Promise<string>;
}

export interface WidgetHarness {
  gateway: TestApp;
  browser: Browser;
  siteUrl: string;
  /** A widget key for the harness's personas, allowed on the site's origin. */
  key: string;
  /** The customer's page with one widget tag (`attributes` become data-*), opened in a new browser context. */
  open(
    attributes: Record<string, string>,
    options?: { context?: BrowserContextOptions; initScript?: string },
  ): Promise<WidgetPage>;
  admin(method: string, route: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The widget as a site owner ships it: built by scripts/build-widget.js, served by a real gateway,
 * embedded with one <script> tag in a page of another origin, run in Debian's chromium.
 */
export async function openWidgetHarness(
  options: {
    personas?: string[];
    env?: Record<string, string>;
    database?: TestDatabase;
    /** Runs before the widget key is made (e.g. stores the personas it names). */
    prepare?: (gatewayUrl: string) => Promise<void>;
  } = {},
): Promise<WidgetHarness> {
  fs.mkdirSync(WIDGET_ARTIFACTS, { recursive: true });
  await buildWidgetIfStale({ quiet: true });
  const [gateway, browser] = await Promise.all([
    startTestApp(options.database ?? testDatabases()[0], options.env),
    launchBrowser(),
  ]);
  const pages = new Map<string, string>();
  const site = http.createServer((req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages.get(req.url ?? '') ?? ''),
  );
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
  const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const admin = (method: string, route: string, body?: unknown) =>
    fetch(`${gateway.url}${route}`, {
      method,
      headers: ADMIN_HEADERS,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  await options.prepare?.(gateway.url);
  const workspaces = (await (await admin('GET', '/v1/workspaces')).json()) as { id: string; name: string }[];
  const created = await admin('POST', `/v1/workspaces/${workspaces.find((w) => w.name === 'default')!.id}/keys`, {
    name: 'shop',
    scope: 'widget',
    personaIds: options.personas ?? ['hua-zhibing'],
    allowedOrigins: [siteUrl],
  });
  const key = ((await created.json()) as { key: string }).key;

  return {
    gateway,
    browser,
    siteUrl,
    key,
    admin,
    async open(attributes, openOptions = {}) {
      const route = `/page-${pages.size}`;
      const data = Object.entries({ key, persona: 'hua-zhibing', open: 'true', ...attributes })
        .map(([name, value]) => ` data-${name}="${value}"`)
        .join('');
      pages.set(
        route,
        `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Shop</title></head><body style="font-family:sans-serif"><h1>Shop</h1>
<script src="${gateway.url}/widget.js"${data} defer></script></body></html>`,
      );
      const context = await browser.newContext({ locale: 'zh-CN', ...openOptions.context });
      if (openOptions.initScript) await context.addInitScript(openOptions.initScript);
      const page = await context.newPage();
      const failures: string[] = [];
      page.on('pageerror', (error) => failures.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') failures.push(message.text());
      });
      await page.goto(`${siteUrl}${route}`);
      return {
        page,
        failures,
        widget: (selector, locatorOptions) => page.locator(`[data-zhibing-widget] ${selector}`, locatorOptions),
        shot: async (name) => {
          await page.screenshot({ path: path.join(WIDGET_ARTIFACTS, `${name}.png`) });
        },
        conversationId: (persona = attributes.persona ?? 'hua-zhibing') =>
          page.evaluate(
            (storageKey) => JSON.parse(localStorage.getItem(storageKey) ?? '{}').conversationId as string,
            `zhibing:${persona}`,
          ),
      };
    },
    async close() {
      await browser.close();
      site.close();
      await gateway.close();
    },
  };
}
