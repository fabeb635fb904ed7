import * as fs from 'node:fs';
import type { InterviewReport } from '@zhibing/protocol';
import type { Page } from 'playwright-core';
import { type ChatClient, connectChat } from '../support/chat-client';
import { type ConsoleBrowser, openConsoleBrowser } from '../support/console-browser';
import { TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const FRONTEND_BANK = [
  'role: frontend-engineer',
  'title: 前端工程师',
  'questions:',
  '  - id: rendering',
  '    text: 讲讲浏览器从拿到 HTML 到画出页面的过程。',
  '    criteria:',
  '      - name: 深度',
  '        points: [DOM, CSSOM, 布局, 绘制]',
  '    followUps:',
  '      - when: [重排]',
  '        text: 哪些操作会引起重排？',
  '      - text: 能举一个你优化过的页面吗？',
].join('\n');

/** A recruiter in the console: an interview that ran over the socket, its report and exports; question banks. */
describe('interviews and question banks in the console', () => {
  let session: ConsoleBrowser;
  let gateway: TestApp;
  let page: Page;
  let candidate: ChatClient;
  let conversationId: string;
  let report: InterviewReport;
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    // The refused bank (400) is on purpose; chromium logs it as a failed resource.
    session = await openConsoleBrowser({ expectedErrors: /status of 4\d\d/ });
    ({ gateway, page } = session);
    candidate = await connectChat(gateway.url, { key: TEST_ADMIN_KEY });
    // A candidate introduces themself, answers the first question and its follow-up, then ends early.
    const started = await candidate.request('session.start', { personaId: 'interviewer', visitorName: '张三' });
    conversationId = started.data.conversationId;
    await candidate.ask(conversationId, 'c-1', '我叫张三，做了三年后端开发，主要写 Go 和 Python。');
    await candidate.ask(
      conversationId,
      'c-2',
      '我负责订单系统的重构，技术选型用了 Go 和 Redis，难点是大促的高并发峰值，效果是接口延迟降了一半。',
    );
    await candidate.ask(conversationId, 'c-3', '峰值大概每秒两万单，我们用消息队列削峰，再加了本地缓存。');
    const ended = await candidate.request('scenario.action', { conversationId, action: 'end' });
    if (!ended.ok) throw new Error(`end refused: ${JSON.stringify(ended.error)}`);
    const answer = await fetch(`${gateway.url}/v1/conversations/${conversationId}/interview-report`, { headers });
    report = (await answer.json()) as InterviewReport;
    if (answer.status !== 200) throw new Error(`no report: ${answer.status} ${JSON.stringify(report)}`);
    await session.signIn('scenarios/interviews');
  }, 90_000);
  afterAll(async () => {
    candidate?.close();
    await session?.close();
  });

  it('lists the interviewer’s conversations and opens the report as the API gives it', async () => {
    const list = page.getByTestId('interviews');
    await list.locator(`tr[data-interview="${conversationId}"]`).getByText('张三').waitFor();
    await list.locator(`tr[data-interview="${conversationId}"]`).getByRole('link', { name: 'Report' }).click();
    const view = page.getByTestId('interview-report');
    await view.getByRole('heading', { name: `Interview for ${report.role}` }).waitFor();
    expect(page.url()).toBe(`${gateway.url}/console/scenarios/interviews/${conversationId}`);
    await expect(view.getByTestId('interview-status').textContent()).resolves.toBe('Ended early');

    expect(report.questions.length).toBeGreaterThan(0);
    const first = report.questions[0];
    const block = view.locator(`[data-question="${first.questionId}"]`).first();
    await expect(block.getByTestId('answer').textContent()).resolves.toContain(first.answer);
    await expect(block.getByTestId('follow-up').allTextContents()).resolves.toEqual(
      first.followUps.map((f) => expect.stringContaining(f.text)),
    );
    for (const score of first.scores) {
      const row = block.locator(`tr[data-criterion="${score.criterion}"]`);
      await expect(row.getByTestId('evidence').allTextContents()).resolves.toEqual(score.evidence);
      if (score.missing.length)
        await expect(row.getByTestId('missing').textContent()).resolves.toContain(score.missing[0]);
    }
    // The candidate's answer quoted as evidence somewhere: the report scores what was said.
    expect(first.scores.flatMap((s) => s.evidence).length).toBeGreaterThan(0);
    await expect(view.locator('[data-testid=interview-summary] tr[data-criterion]').count()).resolves.toBe(
      report.summary.length,
    );
    await session.shot('interview-report');
  });

  it('exports the report as Markdown and CSV, the same as the API', async () => {
    const view = page.getByTestId('interview-report');
    for (const [button, format, ext] of [
      ['Export Markdown', 'markdown', 'md'],
      ['Export CSV', 'csv', 'csv'],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        view.getByRole('button', { name: button }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`interview-${report.role}-${conversationId.slice(0, 8)}.${ext}`);
      const api = await fetch(`${gateway.url}/v1/conversations/${conversationId}/interview-report?format=${format}`, {
        headers,
      });
      expect(fs.readFileSync((await download.path())!, 'utf8')).toBe(await api.text());
    }
  });

  it('imports a YAML bank, refuses one that is not a bank naming its fields, views and exports it, deletes it', async () => {
    await page.getByRole('tab', { name: 'Question banks' }).click();
    const banks = page.getByTestId('question-banks');
    await banks.locator('tr[data-bank="backend-engineer"]').waitFor();
    const input = banks.getByTestId('bank-import').locator('input[type=file]');

    await input.setInputFiles({
      name: 'bad.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from('role: Front End\ntitle: x\nquestions: []\n'),
    });
    const issues = banks.getByTestId('bank-issues');
    await issues.waitFor();
    await expect(
      issues.locator('li').evaluateAll((l) => l.map((e) => e.getAttribute('data-path')).sort()),
    ).resolves.toEqual(['questions', 'role']);
    expect((await fetch(`${gateway.url}/v1/question-banks/front-end`, { headers })).status).toBe(404);

    await input.setInputFiles({ name: 'frontend.yaml', mimeType: 'text/yaml', buffer: Buffer.from(FRONTEND_BANK) });
    await banks
      .getByRole('status')
      .filter({ hasText: 'Saved the bank “frontend-engineer” with 1 questions.' })
      .waitFor();
    const stored = await (await fetch(`${gateway.url}/v1/question-banks/frontend-engineer`, { headers })).json();
    expect(stored).toMatchObject({
      role: 'frontend-engineer',
      questions: [{ id: 'rendering', followUps: [{ when: ['重排'] }, { when: [] }] }],
    });

    await banks.locator('tr[data-bank="frontend-engineer"] a').click();
    const view = page.getByTestId('question-bank');
    await view.locator('li[data-question="rendering"]').getByText('when the answer mentions 重排').waitFor();
    const [yaml] = await Promise.all([
      page.waitForEvent('download'),
      view.getByRole('button', { name: 'Export YAML' }).click(),
    ]);
    expect(yaml.suggestedFilename()).toBe('frontend-engineer.yaml');
    const exported = fs.readFileSync((await yaml.path())!, 'utf8');
    expect(exported).toContain('讲讲浏览器从拿到 HTML 到画出页面的过程。');
    await session.shot('question-bank');

    await view.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('question-banks').locator('tr[data-bank="backend-engineer"]').waitFor();
    await expect(page.locator('tr[data-bank="frontend-engineer"]').count()).resolves.toBe(0);
    expect((await fetch(`${gateway.url}/v1/question-banks/frontend-engineer`, { headers })).status).toBe(404);
    expect(session.failures).toEqual([]);
  });
});
