import { plainPng } from '@zhibing/persona';
import type { Page } from 'playwright-core';
import { pdfFixture } from '../knowledge/documents-fixtures';
import { type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';
import { TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

/**
 * Issue 12's definition of done, in one browser session and nothing else: a new user opens
 * /console, pastes the root key, creates a persona with an avatar, imports a PDF into its knowledge
 * base, chats with it in the preview, sees why it answered, creates a widget key and copies the
 * snippet — no curl, no API call from the test except to check what the console did.
 */
describe('a new user, from the root key to a widget snippet, in the console only', () => {
  let session: ConsoleBrowser;
  let gateway: TestApp;
  let page: Page;
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

  beforeAll(async () => {
    session = await openConsoleBrowser({ permissions: ['clipboard-read', 'clipboard-write'] });
    ({ gateway, page } = session);
  }, 60_000);

  afterAll(() => session?.close());

  it('walks the whole first run', async () => {
    await session.signIn();

    // A persona, pointed at a knowledge base that the PDF will fill.
    await page.getByRole('button', { name: 'New persona' }).click();
    const field = (name: string) => page.locator(`[data-field="${name}"]`);
    await field('id').locator('input').fill('ada');
    await field('name').locator('input').fill('Ada');
    await field('locale').locator('input').fill('en-US');
    await field('profile').locator('textarea').fill('A ski instructor at the resort who knows its rules.');
    await field('greeting').locator('input').fill('Hello, I am Ada. Ask me about the resort!');
    await field('knowledgeBases').locator('input').fill('resort');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as version 1.' }).waitFor();

    const upload = page.getByTestId('avatar-upload');
    await upload.locator('input[name=avatar]').setInputFiles({
      name: 'ada.png',
      mimeType: 'image/png',
      buffer: plainPng(48, [30, 144, 255]),
    });
    await upload.getByRole('button', { name: 'Upload avatar' }).click();
    await page.getByRole('status').filter({ hasText: 'Avatar saved.' }).waitFor();

    // The knowledge base, and a PDF in it.
    await page.getByRole('link', { name: 'Knowledge' }).click();
    const bases = page.getByTestId('knowledge-bases');
    await bases.locator('input[name=kb-name]').fill('resort');
    await bases.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'resort' }).waitFor();
    await page.getByRole('tab', { name: 'Documents' }).click();
    const pdf = await pdfFixture([
      ['Lift passes are sold at the north gate.', 'Helmets are mandatory on the black slopes.'],
      ['The shuttle bus leaves the hotel every twenty minutes.'],
    ]);
    await page
      .getByTestId('documents')
      .locator('input[type=file]')
      .setInputFiles({ name: 'rules.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
    await page.getByTestId('upload-report').filter({ hasText: 'rules.pdf: cut into' }).waitFor({ timeout: 15_000 });

    // The preview chat answers from the PDF, and the trace says so.
    await page.getByRole('link', { name: 'Personas' }).click();
    await page.locator('[data-persona=ada]').click();
    const preview = page.getByTestId('preview');
    await preview.locator('.msg.persona', { hasText: 'Hello, I am Ada.' }).waitFor();
    await preview.locator('input[name=message]').fill('How often does the shuttle bus leave?');
    await preview.locator('input[name=message]').press('Enter');
    const reply = preview.locator('.msg.persona:not(.streaming)', { hasText: 'every twenty minutes' });
    await reply.waitFor({ timeout: 10_000 });
    await reply.getByRole('button', { name: 'Why this reply?' }).click();
    const trace = page.getByTestId('trace');
    await trace
      .getByTestId('trace-knowledge')
      .locator('tbody tr', { hasText: 'every twenty minutes' })
      .first()
      .waitFor();
    await session.shot('first-run-trace');
    await trace.getByRole('button', { name: 'Close' }).click();

    // A widget key for Ada, and its snippet on the clipboard.
    await page.getByRole('link', { name: 'Keys & widget' }).click();
    const form = page.getByTestId('create-key');
    await form.locator('[data-field="name"] input').fill('my site');
    await form.locator('input[type=checkbox][value="ada"]').check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = (await form.getByTestId('secret').locator('code').textContent())!;
    const snippet = page.getByTestId('snippet');
    await snippet.locator('select[name=widget-persona]').selectOption('ada');
    await snippet.getByRole('button', { name: 'Copy' }).click();
    await snippet.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(
      `<script src="${gateway.url}/widget.js" data-key="${secret}" data-persona="ada" defer></script>`,
    );
    await session.shot('first-run-snippet');

    // What the console did, as the API sees it.
    const persona = await (await fetch(`${gateway.url}/v1/personas/ada`, { headers })).json();
    expect(persona).toMatchObject({ persona: { name: 'Ada', knowledgeBases: ['resort'] } });
    const avatar = await fetch(`${gateway.url}${persona.avatarUrl}`);
    expect(avatar.headers.get('content-type')).toBe('image/png');
    const documents = await (await fetch(`${gateway.url}/v1/knowledge-bases/resort/documents`, { headers })).json();
    expect(documents).toEqual([expect.objectContaining({ name: 'rules.pdf' })]);
    expect(session.failures).toEqual([]);
  }, 90_000);
});
