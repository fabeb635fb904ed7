import type { Page } from 'playwright-core';
import { type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';
import { TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/** Records every value the import's progress bar shows, in the page, from now on. */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { importProgress: number[] }).importProgress = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=import-progress]') as HTMLProgressElement | null;
      if (bar) seen.push(bar.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

/** A knowledge admin imports JSON Lines and CSV files: a progress bar while it uploads, then each refused line. */
describe('knowledge import in the console', () => {
  let session: ConsoleBrowser;
  let gateway: TestApp;
  let page: Page;
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    session = await openConsoleBrowser();
    ({ gateway, page } = session);
    await fetch(`${gateway.url}/v1/knowledge-bases`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'faq' }),
    });
    await session.signIn('knowledge/faq');
    await page.getByTestId('import').waitFor();
  }, 60_000);
  afterAll(() => session?.close());

  it('shows the upload’s progress and then the report with every refused line', async () => {
    const tooLong = `{"question":"太长的答案？","answer":"${'长'.repeat(9000)}"}`;
    const lines = [
      '{"question":"洗手间在哪？","answer":"一楼电梯旁。"}',
      '{not json',
      '{"question":"几点开门？","answer":"早上九点。"}',
      '{"question":"只有问题？"}',
      // About 320 KB of refused lines: over a second at 256 KB/s, so XHR reports progress part-way.
      ...Array.from({ length: 12 }, () => tooLong),
    ];
    const form = page.getByTestId('import');
    await form.locator('select[name=format]').selectOption('qa');
    await form.locator('input[type=file]').setInputFiles({
      name: 'faq.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(lines.join('\n')),
    });
    await watchProgress(page);
    const cdp = await page.context().newCDPSession(page);
    const throttle = (uploadThroughput: number) =>
      cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput,
      });
    await throttle(256 * 1024);
    await form.getByRole('button', { name: 'Import' }).click();
    const report = form.getByTestId('import-report');
    await report.waitFor({ timeout: 20_000 });
    await throttle(-1);

    const seen = await page.evaluate(() => (window as unknown as { importProgress: number[] }).importProgress);
    expect(seen.some((value) => value > 0 && value < 1)).toBe(true);
    await expect(form.getByTestId('import-progress').count()).resolves.toBe(0);
    await expect(report.getByRole('status').textContent()).resolves.toBe(
      '16 lines: 2 added, 0 already there, 14 refused.',
    );
    const refused = await report
      .locator('tr[data-line]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')));
    expect(refused).toEqual(['2', '4', ...Array.from({ length: 12 }, (_, i) => String(i + 5))]);
    await expect(report.locator('tr[data-line="4"] td.error').textContent()).resolves.toContain('answer');
    const items = await fetch(`${gateway.url}/v1/knowledge-bases/faq/items`, { headers });
    expect(items.headers.get('x-total-count')).toBe('2');
    await session.shot('knowledge-import');
  });

  it('imports CSV the same way, and again leaves lines already there as they are', async () => {
    const form = page.getByTestId('import');
    await form.locator('select[name=format]').selectOption('csv');
    await form.locator('input[type=file]').setInputFiles({
      name: 'faq.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('question,answer\n洗手间在哪？,一楼电梯旁。\n停车场在哪？,地下一层。\n没有答案？,\n'),
    });
    await form.getByRole('button', { name: 'Import' }).click();
    await form.getByRole('status').filter({ hasText: '1 added' }).waitFor();
    await expect(form.getByRole('status').textContent()).resolves.toBe('3 lines: 1 added, 1 already there, 1 refused.');
    await expect(form.locator('tr[data-line]').count()).resolves.toBe(1);
    expect(session.failures).toEqual([]);
  });
});
