import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { personaFromCard, plainPng, readPngText, writePngText } from '@zhibing/persona';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_ARTIFACTS, type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';
import { TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const card = {
  spec: 'chara_card_v3',
  spec_version: '3.0',
  data: {
    name: 'Mei',
    description: '{{char}} is a librarian who knows every book in the stacks.',
    personality: 'calm, precise',
    first_mes: 'Hello {{user}}, I am {{char}}. Looking for a book?',
    system_prompt: 'You are {{char}}.',
    alternate_greetings: ['Back again, {{user}}?'],
    tags: ['library'],
    group_only_greetings: [],
    character_book: { entries: [{ keys: ['Stacks', 'the stacks'], content: 'The stacks are on floor 3.' }] },
  },
};
/** A 24×24 orange PNG with the card in a ccv3 chunk, as SillyTavern exports one. */
const cardFile = writePngText(plainPng(24, [240, 120, 20]), {
  ccv3: Buffer.from(JSON.stringify(card)).toString('base64'),
});

/**
 * Character cards and avatars in Debian's chromium: a PNG card imported in the console shows the
 * persona with its avatar, the preview greets with the macros replaced, the exported PNG re-imports
 * to the same persona, and the widget on another site shows the avatar image and name.
 */
describe('persona cards and avatars in the console and the widget', () => {
  let session: ConsoleBrowser;
  let gateway: TestApp;
  let browser: Browser;
  let page: Page;
  let failures: string[];
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

  beforeAll(async () => {
    session = await openConsoleBrowser();
    ({ gateway, browser, page, failures } = session);
    await session.signIn();
    await page.locator('[data-persona=hua-zhibing]').waitFor();
  }, 60_000);

  afterAll(() => session?.close());

  it('imports a PNG card: the persona with its avatar, and a preview greeting with {{char}} replaced', async () => {
    const form = page.getByTestId('card-import');
    await form.locator('input[name=card]').setInputFiles({ name: 'mei.png', mimeType: 'image/png', buffer: cardFile });
    await form.locator('input[name=card-id]').fill('mei');
    await form.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported Mei with 2 knowledge items.' }).waitFor();
    expect(page.url()).toBe(`${gateway.url}/console/personas/mei`);

    // The avatar the browser decoded is the card's 24×24 image.
    const avatar = page.getByTestId('avatar-upload').locator('img.avatar-image');
    await avatar.waitFor();
    await page.waitForFunction(() => (document.querySelector('img.avatar-image') as HTMLImageElement)?.complete);
    expect(await avatar.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([24, 24]);
    await page.locator('[data-persona=mei]').locator('xpath=..').locator('img.avatar-thumb').waitFor();

    const greeting = page.getByTestId('preview').locator('.msg.persona').first();
    await greeting.waitFor();
    // The card's greeting or its alternate, chosen per conversation; {{user}} is the neutral word either way.
    expect(['Hello you, I am Mei. Looking for a book?', 'Back again, you?']).toContain(await greeting.textContent());
    await page.screenshot({ path: path.join(CONSOLE_ARTIFACTS, 'persona-card-imported.png'), fullPage: true });

    // A visitor's name for the preview: a new conversation greets them by it.
    const preview = page.getByTestId('preview');
    await preview.locator('input[name=visitor-name]').fill('Sam');
    await preview.getByRole('button', { name: 'New conversation' }).click();
    await preview.locator('.msg.persona', { hasText: 'Sam' }).waitFor();
    expect(['Hello Sam, I am Mei. Looking for a book?', 'Back again, Sam?']).toContain(
      await preview.locator('.msg.persona').first().textContent(),
    );
  });

  it('uploads a new avatar with a preview, and exports a PNG card that re-imports to the same persona', async () => {
    const upload = page.getByTestId('avatar-upload');
    await upload.locator('input[name=avatar]').setInputFiles({
      name: 'new.png',
      mimeType: 'image/png',
      buffer: plainPng(32, [20, 120, 240]),
    });
    // The preview shows the chosen file before it is uploaded.
    await page.waitForFunction(
      () => (document.querySelector('img.avatar-image') as HTMLImageElement)?.naturalWidth === 32,
    );
    expect(await upload.locator('img').getAttribute('src')).toMatch(/^blob:/);
    await upload.getByRole('button', { name: 'Upload avatar' }).click();
    await page.getByRole('status').filter({ hasText: 'Avatar saved.' }).waitFor();
    expect(await upload.locator('img').getAttribute('src')).toMatch(/^\/v1\/personas\/mei\/avatar\?/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export card (PNG)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('mei.card.png');
    const png = fs.readFileSync((await download.path())!);
    expect([...readPngText(png).keys()].sort()).toEqual(['ccv3', 'chara']);
    // Chromium decodes the exported card as the uploaded 32×32 image.
    const size = await page.evaluate(
      async (bytes) => {
        const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
        return [bitmap.width, bitmap.height];
      },
      [...png],
    );
    expect(size).toEqual([32, 32]);

    const stored = await (await fetch(`${gateway.url}/v1/personas/mei`, { headers })).json();
    const form = page.getByTestId('card-import');
    await form.locator('input[name=card]').setInputFiles({ name: 'mei.card.png', mimeType: 'image/png', buffer: png });
    await form.locator('input[name=card-id]').fill('mei-copy');
    await form.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported Mei' }).waitFor();
    const copy = await (await fetch(`${gateway.url}/v1/personas/mei-copy`, { headers })).json();
    expect(copy.persona).toEqual({ ...stored.persona, id: 'mei-copy' });
    expect(personaFromCard(JSON.parse(Buffer.from(readPngText(png).get('ccv3')!, 'base64').toString()))).toEqual(
      stored.persona,
    );
    expect(failures).toEqual([]);
  });

  it('the widget on another site shows the persona avatar image and name', async () => {
    let key = '';
    const site = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script src="${gateway.url}/widget.js" data-key="${key}" data-persona="mei" data-open="true" defer></script></body></html>`,
      ),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()));
    const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    try {
      const workspaces = await (await fetch(`${gateway.url}/v1/workspaces`, { headers })).json();
      const created = await fetch(
        `${gateway.url}/v1/workspaces/${workspaces.find((w: { name: string }) => w.name === 'default').id}/keys`,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'site', scope: 'widget', personaIds: ['mei'], allowedOrigins: [siteUrl] }),
        },
      );
      key = (await created.json()).key;
      const widget = await browser.newPage();
      await widget.goto(siteUrl);
      const photo = widget.locator('[data-zhibing-widget] img.photo');
      await photo.waitFor({ state: 'visible' });
      expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(32);
      await expect(widget.locator('[data-zhibing-widget] .name').textContent()).resolves.toBe('Mei');
      // The greeting or its alternate, chosen per conversation.
      expect(['Hello you, I am Mei. Looking for a book?', 'Back again, you?']).toContain(
        await widget.locator('[data-zhibing-widget] .msg.persona').first().textContent(),
      );
      await widget.screenshot({ path: path.join(CONSOLE_ARTIFACTS, 'widget-avatar.png') });
      await widget.close();
    } finally {
      site.close();
    }
  });
});
