import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModelFolder } from '@zhibing/kernels';
import type { Page } from 'playwright-core';
import { type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';

/**
 * The console over a generative engine: the tiny seeded GLM-MoE model on onnxruntime. Its replies
 * are random bytes; what matters is that the real prompt reaches the trace and the real routing
 * counts reach the engine page.
 */
describe('the admin console with the tiny ONNX GLM-MoE engine', () => {
  const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-console-model-'));
  let session: ConsoleBrowser;
  let page: Page;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: modelDir });
    session = await openConsoleBrowser({ env: { ZHIBING_ENGINE: 'onnx', ZHIBING_MODEL_DIR: modelDir } });
    page = session.page;
    await session.signIn('personas/hua-zhibing');
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    fs.rmSync(modelDir, { recursive: true, force: true });
  });

  it('shows the GLM prompt of a generated reply in its trace', async () => {
    const preview = page.getByTestId('preview');
    await preview.locator('.msg.persona').first().waitFor();
    await preview.locator('input[name=message]').fill('谷爱凌是谁？');
    await preview.getByRole('button', { name: 'Send' }).click();
    const reply = preview.locator('.msg.persona[data-turn]:not(.streaming)');
    await reply.waitFor({ timeout: 30_000 });
    await reply.getByRole('button', { name: 'Why this reply?' }).click();
    const trace = page.getByTestId('trace');
    await expect(trace.getByTestId('trace-engine').textContent()).resolves.toBe('onnx:tiny-moe');
    await expect(trace.locator('pre.prompt').textContent()).resolves.toMatch(/华智冰：\[MASK\]/);
    await expect(trace.textContent()).resolves.toMatch(/promptTokens \d+ · completionTokens [1-9]/);
  });

  it('plots the MoE expert load that /metrics reports', async () => {
    await page.goto(`${session.gateway.url}/console/health`);
    await expect(page.getByTestId('health-engine').textContent()).resolves.toMatch(/^onnx:tiny-moe/);
    const table = page.getByTestId('expert-load');
    await table.waitFor();
    const metrics = await (await fetch(`${session.gateway.url}/metrics`)).text();
    const layer0 = [...metrics.matchAll(/zhibing_moe_expert_tokens\{layer="0",expert="(\d+)"\} (\d+)/g)]
      .sort((a, b) => Number(a[1]) - Number(b[1]))
      .map((m) => m[2]);
    expect(layer0.length).toBeGreaterThan(1);
    // The reply of the first test was metered: the engine page's rate charts read these.
    expect(metrics).toMatch(/zhibing_generation_tokens_total\{responder="onnx:tiny-moe"\} [1-9]/);
    expect(metrics).toMatch(/zhibing_generation_first_token_seconds_count\{responder="onnx:tiny-moe"\} 1$/m);
    const shown = await table
      .locator('tr[data-layer="0"] .bar')
      .evaluateAll((bars) => bars.map((b) => b.getAttribute('data-count')));
    expect(shown).toEqual(layer0);
    expect(layer0.some((count) => Number(count) > 0)).toBe(true);
    await session.shot('engine-expert-load');
  });
});
