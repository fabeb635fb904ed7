import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import { type ChatClient, connectChat } from '../support/chat-client';
import { type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';
import { TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/** A reviewer's session: search a conversation by text → rate a reply with a note → reload → export; then the engine's rates. */
describe('the console for a reviewer', () => {
  let session: ConsoleBrowser;
  let gateway: TestApp;
  let page: Page;
  let chat: ChatClient;
  let failures: string[];
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const conversations: string[] = [];

  const converse = async (visitorId: string, text: string) => {
    const started = await chat.request<{ conversationId: string }>('session.start', {
      personaId: 'hua-zhibing',
      visitorId,
    });
    const conversationId = started.data!.conversationId;
    await chat.ask(conversationId, `${visitorId}-1`, text);
    return conversationId;
  };

  beforeAll(async () => {
    session = await openConsoleBrowser({ context: { acceptDownloads: true } });
    ({ gateway, page, failures } = session);
    chat = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
    conversations.push(await converse('visitor-ski', '谷爱凌是谁？'));
    conversations.push(await converse('visitor-hello', '你好，你是谁？'));
    await session.signIn('conversations');
    await page.getByTestId('conversations').waitFor();
  }, 60_000);

  afterAll(async () => {
    chat?.close();
    await session?.close();
  });

  it('finds a conversation by its text, with the total, and narrows by date and status', async () => {
    const list = page.getByTestId('conversations');
    await list.getByTestId('conversations-total').filter({ hasText: '2 in all' }).waitFor();
    await list.locator('input[name=q]').fill('谷爱凌');
    await list.getByTestId('conversations-total').filter({ hasText: '1 in all' }).waitFor();
    await expect(list.locator('tr[data-conversation]').getAttribute('data-conversation')).resolves.toBe(
      conversations[0],
    );
    // Today is in range; a range that ended yesterday finds nothing.
    const day = (offset: number) => {
      const d = new Date();
      d.setDate(d.getDate() + offset);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    await list.locator('input[name=from]').fill(day(0));
    await list.locator('input[name=to]').fill(day(0));
    await list.getByTestId('conversations-total').filter({ hasText: '1 in all' }).waitFor();
    await list.locator('input[name=to]').fill(day(-1));
    await list.getByTestId('conversations-total').filter({ hasText: '0 in all' }).waitFor();
    await list.locator('input[name=to]').fill('');
    await list.locator('input[name=from]').fill('');
    await list.locator('select[name=status]').selectOption('closed');
    await list.getByTestId('conversations-total').filter({ hasText: '0 in all' }).waitFor();
    await list.locator('select[name=status]').selectOption('');
    await list.getByTestId('conversations-total').filter({ hasText: '1 in all' }).waitFor();
  });

  it('exports what the filters find as CSV and JSONL', async () => {
    const list = page.getByTestId('conversations');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      list.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('conversations.csv');
    const text = fs.readFileSync((await csv.path())!, 'utf8');
    expect(text).toContain(conversations[0]);
    expect(text).not.toContain(conversations[1]);
    const [jsonl] = await Promise.all([
      page.waitForEvent('download'),
      list.getByRole('button', { name: 'Export JSONL' }).click(),
    ]);
    const lines = fs
      .readFileSync((await jsonl.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line).id)).toEqual([conversations[0]]);
  });

  it('rates a reply with a note; the review is there after a reload and in the CSV export', async () => {
    const list = page.getByTestId('conversations');
    await list.locator(`tr[data-conversation="${conversations[0]}"] a`).click();
    const transcript = page.getByTestId('transcript');
    const review = transcript.locator('form.review').first();
    await review.getByTitle('Good reply').click();
    await review.getByRole('radio', { name: '4 stars' }).click();
    await review.locator('input[name=note]').fill('准确，语气自然 "ok"');
    await review.getByRole('button', { name: 'Save review' }).click();
    await review.getByRole('status').filter({ hasText: 'Review saved.' }).waitFor();
    await session.shot('conversation-review');

    await page.reload();
    const reloaded = page.getByTestId('transcript').locator('form.review').first();
    await expect(reloaded.locator('input[name=note]').inputValue()).resolves.toBe('准确，语气自然 "ok"');
    await expect(reloaded.getByTitle('Good reply').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(reloaded.getByRole('radio', { name: '4 stars' }).getAttribute('aria-checked')).resolves.toBe('true');
    const stored = await (await fetch(`${gateway.url}/v1/conversations/${conversations[0]}`, { headers })).json();
    const reply = stored.turns.find((t: { role: string; review: unknown }) => t.role === 'persona' && t.review);
    expect(reply.review).toEqual(expect.objectContaining({ thumb: 'up', stars: 4, note: '准确，语气自然 "ok"' }));

    await page.getByRole('button', { name: '← Conversations' }).click();
    await page.getByTestId('conversations').locator('input[name=q]').fill('谷爱凌');
    await page.getByTestId('conversations-total').filter({ hasText: '1 in all' }).waitFor();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    // CSV doubles a quote inside a quoted field.
    expect(fs.readFileSync((await csv.path())!, 'utf8')).toContain('准确，语气自然 ""ok""');
  });

  it('plots tokens/s and time to first token from /metrics while the engine page is open', async () => {
    await page.goto(`${gateway.url}/console/health`);
    const rates = page.getByTestId('generation-rates');
    await rates.getByText('No reply generated yet since this page opened.').waitFor();
    const scrape = async () => {
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      const sum = (name: string) =>
        [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0);
      return {
        tokens: sum('zhibing_generation_tokens_total'),
        seconds: sum('zhibing_generation_seconds_total'),
        firstSum: sum('zhibing_generation_first_token_seconds_sum'),
        firstCount: sum('zhibing_generation_first_token_seconds_count'),
      };
    };
    // Let the page take its first reading, then one reply: the next point is that reply's rates.
    await page.waitForTimeout(500);
    const before = await scrape();
    await converse('visitor-rates', '北京冬奥会');
    const after = await scrape();
    expect(after.firstCount - before.firstCount).toBe(1);
    const firstTokenMs = (after.firstSum - before.firstSum) * 1000;
    const tokensPerSecond = (after.tokens - before.tokens) / (after.seconds - before.seconds);
    const point = rates.getByTestId('chart-first-token').locator('circle[data-value]').last();
    await point.waitFor({ timeout: 10_000 });
    expect(Number(await point.getAttribute('data-value'))).toBeCloseTo(firstTokenMs, 6);
    const tokens = await rates
      .getByTestId('chart-tokens')
      .locator('circle[data-value]')
      .evaluateAll((c) => c.map((e) => Number(e.getAttribute('data-value'))));
    expect(tokens.some((v) => Math.abs(v - tokensPerSecond) < 1e-6 * tokensPerSecond)).toBe(true);
    await session.shot('engine-rates');
    expect(failures).toEqual([]);
  });
});
