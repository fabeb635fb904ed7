import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Server, type Socket } from 'socket.io';
import type { ScenarioView } from '@zhibing/protocol';
import { buildWidgetIfStale, widgetFile } from '../../scripts/build-widget';
import { launchBrowser } from '../support/browser';
import { WIDGET_ARTIFACTS } from './widget-harness';

const CONVERSATION = '6f1c2f7e-8d43-4a56-9d7b-2b1f0c1e4a01';

/** Resolves once `condition` holds (checked every 20 ms, for at most 5 s). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 5_000; !(await condition());) {
    if (Date.now() > deadline) throw new Error(`not met in 5 s: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The scenario bar against the protocol alone: a real socket.io server plays the gateway's part of
 * the contract (the session.start ack with `scenario`, `scenario.state`, `scenario.action` acks and
 * typed errors, take-over events) with views chosen by the test, so every part of the bar is shown
 * exactly, including states a real flow reaches only after minutes (a countdown's last seconds).
 * test/widget/widget-scenario.e2e-spec.ts runs the same widget against the real scenario runtime.
 */
describe('the widget scenario bar, against the protocol', () => {
  let server: http.Server;
  let io: Server;
  let url: string;
  let browser: Browser;
  let visitor: Socket | undefined;
  const actions: unknown[] = [];
  const messages: string[] = [];
  let firstView: ScenarioView;
  let answerForm: (values: Record<string, string>) => { ok: boolean; error?: { code: string; message: string } };

  beforeAll(async () => {
    fs.mkdirSync(WIDGET_ARTIFACTS, { recursive: true });
    await buildWidgetIfStale({ quiet: true });
    server = http.createServer((req, res) => {
      if (req.url === '/widget.js') {
        res.writeHead(200, { 'content-type': 'application/javascript' }).end(fs.readFileSync(widgetFile));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script src="/widget.js" data-key="zb_widget_test" data-persona="front-desk" data-lang="zh" data-open="true"
 defer></script>
</body></html>`,
      );
    });
    io = new Server(server);
    io.of('/chat').on('connection', (socket) => {
      visitor = socket;
      socket.on('session.start', (_payload, ack) =>
        ack({
          ok: true,
          data: {
            conversationId: CONVERSATION,
            persona: { id: 'front-desk', name: '前台小智', version: 1 },
            greeting: '您好，欢迎光临！',
            resumed: false,
            history: [],
            scenario: firstView,
          },
        }),
      );
      socket.on('message', (payload: { text: string }, ack) => {
        messages.push(payload.text);
        ack({ ok: true, data: { turnId: `t-${messages.length}`, duplicate: false } });
      });
      socket.on('scenario.action', (payload: { action: string; values?: Record<string, string> }, ack) => {
        actions.push(payload);
        if (payload.action === 'form') {
          const outcome = answerForm(payload.values ?? {});
          if (!outcome.ok) socket.emit('error', outcome.error);
          ack(outcome.ok ? { ok: true, data: {} } : outcome);
        } else ack({ ok: true, data: {} });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    io?.close();
    server?.close();
  });

  const state = (scenario: ScenarioView) => visitor!.emit('scenario.state', { conversationId: CONVERSATION, scenario });
  async function open(): Promise<{
    page: Page;
    widget: (s: string, o?: { hasText?: string }) => ReturnType<Page['locator']>;
    failures: string[];
  }> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(url);
    const widget = (selector: string, options?: { hasText?: string }) =>
      page.locator(`[data-zhibing-widget] ${selector}`, options);
    await widget('.msg.persona').first().waitFor();
    return { page, widget, failures };
  }

  it('shows the phase, a countdown, suggestions that send, and an end button that ends', async () => {
    firstView = {
      kind: 'interview',
      phase: 'qa',
      title: '答疑环节',
      endsAt: new Date(Date.now() + 65_000).toISOString(),
      suggestions: ['公司在哪里？', '有哪些福利？'],
      endButton: '结束面试',
      ended: false,
    };
    const { page, widget, failures } = await open();
    await expect(widget('.scenario .phase').textContent()).resolves.toBe('答疑环节');
    await expect(widget('.scenario .countdown').textContent()).resolves.toMatch(/^01:0[0-5]$/);
    await page.screenshot({ path: path.join(WIDGET_ARTIFACTS, 'widget-scenario-countdown.png') });
    await widget('.scenario button.suggestion', { hasText: '有哪些福利？' }).click();
    await widget('.msg.user', { hasText: '有哪些福利？' }).waitFor();
    expect(messages).toEqual(['有哪些福利？']);

    // The last seconds: marked low, and it stops at 00:00.
    state({ ...firstView, endsAt: new Date(Date.now() + 2_000).toISOString() });
    await widget('.scenario .countdown.low').waitFor();
    await widget('.scenario .countdown', { hasText: '00:00' }).waitFor({ timeout: 5_000 });

    await widget('.scenario button.end', { hasText: '结束面试' }).click();
    await until(() => actions.length === 1);
    expect(actions[0]).toEqual({ conversationId: CONVERSATION, action: 'end' });
    state({ ...firstView, endsAt: undefined, suggestions: [], endButton: undefined, ended: true });
    await widget('.scenario .ended', { hasText: '本次对话已结束。' }).waitFor();
    await expect(widget('.scenario button.suggestion').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(WIDGET_ARTIFACTS, 'widget-scenario-ended.png') });
    expect(failures).toEqual([]);
    await page.close();
  });

  it('a registration form: a typed error beside the fields, then waiting for a person, then their name', async () => {
    actions.length = 0;
    firstView = {
      kind: 'front-desk',
      phase: 'register',
      title: '访客登记',
      suggestions: [],
      form: {
        phase: 'register',
        title: '请填写登记信息',
        fields: [
          { name: 'name', label: '姓名', type: 'name', required: true, value: '张三' },
          { name: 'phone', label: '手机号', type: 'phone', required: true },
          { name: 'note', label: '备注', type: 'text', required: false },
        ],
      },
      ended: false,
    };
    answerForm = (values) =>
      /^1\d{10}$/.test(values.phone ?? '')
        ? { ok: true }
        : {
            ok: false,
            error: { code: 'form_invalid', message: 'Invalid or missing: phone', details: { fields: ['phone'] } },
          };
    const { page, widget, failures } = await open();
    const form = widget('.scenario form');
    await expect(form.locator('input[name=name]').inputValue()).resolves.toBe('张三');
    // A required field left empty is caught before anything is sent.
    await form.getByRole('button', { name: '提交' }).click();
    await form.locator('.form-error', { hasText: '请填写：手机号' }).waitFor();
    expect(actions).toEqual([]);
    await form.locator('input[name=phone]').fill('12345');
    await form.getByRole('button', { name: '提交' }).click();
    await form.locator('.form-error', { hasText: '有的信息没填或不正确' }).waitFor();
    await expect(form.locator('input[name=phone]').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(form.locator('input[name=name]').getAttribute('aria-invalid')).resolves.toBe('false');
    await expect(widget('.msg.notice').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(WIDGET_ARTIFACTS, 'widget-scenario-form-error.png') });

    await form.locator('input[name=phone]').fill('13800138000');
    await form.getByRole('button', { name: '提交' }).click();
    await until(() => actions.length === 2);
    expect(actions[1]).toEqual({
      conversationId: CONVERSATION,
      action: 'form',
      phase: 'register',
      values: { name: '张三', phone: '13800138000', note: '' },
    });
    state({
      kind: 'front-desk',
      phase: 'handoff',
      title: '转接人工',
      suggestions: [],
      waitingForOperator: true,
      ended: false,
    });
    await widget('.scenario .waiting', { hasText: '正在为您转接人工' }).waitFor();
    await expect(widget('.scenario form').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(WIDGET_ARTIFACTS, 'widget-scenario-waiting.png') });
    visitor!.emit('conversation.takeover', {
      conversationId: CONVERSATION,
      operatorName: '前台小王',
      since: new Date().toISOString(),
    });
    state({
      kind: 'front-desk',
      phase: 'handoff',
      title: '转接人工',
      suggestions: [],
      waitingForOperator: false,
      ended: false,
    });
    await widget('header .name', { hasText: '前台小王（人工）' }).waitFor();
    await widget('.scenario .waiting').waitFor({ state: 'detached' });

    state({ kind: 'front-desk', phase: 'done', suggestions: [], ended: true });
    await widget('.scenario button.restart', { hasText: '新对话' }).click();
    await until(async () => (await widget('.msg.persona').count()) === 1);
    // The new conversation starts the scenario again from its first view: an empty form.
    await expect(widget('.scenario form input[name=phone]').inputValue()).resolves.toBe('');
    expect(failures).toEqual([]);
    await page.close();
  });
});
