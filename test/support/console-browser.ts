import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { buildConsoleIfStale } from '../../scripts/build-console';
import { launchBrowser } from './browser';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from './test-app';
import { type TestDatabase, testDatabases } from './test-databases';

/** Where the console's screenshots go; CI keeps this folder as a build artifact. */
export const CONSOLE_ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'console');

export interface ConsoleBrowser {
  gateway: TestApp;
  browser: Browser;
  page: Page;
  /** Page errors and console errors that `expectedErrors` does not match: a test asserts it stays empty. */
  failures: string[];
  /** A full-page screenshot into CONSOLE_ARTIFACTS. */
  shot(name: string): Promise<Buffer>;
  /** Opens `route` (below /console), pastes the admin key and signs in. */
  signIn(route?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The console as the browser tests use it: built if stale, a gateway (embedded PGlite unless
 * told otherwise, with `env`) and Debian's chromium, and one English page of 1400×900.
 */
export async function openConsoleBrowser(
  options: {
    database?: TestDatabase;
    env?: Record<string, string>;
    /** Console errors a test causes on purpose (a refused request logs as a failed resource). */
    expectedErrors?: RegExp;
    context?: BrowserContextOptions;
    permissions?: string[];
  } = {},
): Promise<ConsoleBrowser> {
  fs.mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  await buildConsoleIfStale({ quiet: true });
  const [gateway, browser] = await Promise.all([
    startTestApp(options.database ?? testDatabases()[0], options.env),
    launchBrowser(),
  ]);
  const context = await browser.newContext({
    locale: 'en-US',
    viewport: { width: 1400, height: 900 },
    ...options.context,
  });
  if (options.permissions) await context.grantPermissions(options.permissions, { origin: gateway.url });
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !options.expectedErrors?.test(message.text())) failures.push(message.text());
  });
  return {
    gateway,
    browser,
    page,
    failures,
    shot: (name) => page.screenshot({ path: path.join(CONSOLE_ARTIFACTS, `${name}.png`), fullPage: true }),
    async signIn(route = '') {
      await page.goto(`${gateway.url}/console/${route}`);
      await page.locator('input[name=key]').fill(TEST_ADMIN_KEY);
      await page.getByRole('button', { name: 'Open the console' }).click();
    },
    async close() {
      await browser.close();
      await gateway.close();
    },
  };
}
