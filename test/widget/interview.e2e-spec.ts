import { openWidgetHarness, type WidgetHarness } from './widget-harness';

/**
 * An interview in the widget as a candidate meets it: the shipped interviewer (two questions here, to
 * stay short), its phases in the scenario bar, the Q&A countdown and suggestions, the end button.
 */
describe('the widget runs an interview with 面试官李老师', () => {
  let harness: WidgetHarness;

  beforeAll(async () => {
    harness = await openWidgetHarness({ personas: ['interviewer'] });
    const { persona } = (await (await harness.admin('GET', '/v1/personas/interviewer')).json()) as {
      persona: { flow: { phases: { id: string }[] } };
    };
    const phases = persona.flow.phases.map((p) => (p.id === 'questions' ? { ...p, count: 2, followUps: 0 } : p));
    const saved = await harness.admin('PUT', '/v1/personas/interviewer', {
      ...persona,
      flow: { ...persona.flow, phases },
    });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('intro → questions → 答疑环节 with countdown and suggestions → the end button; the report has it all', async () => {
    const { page, widget, failures, shot, conversationId } = await harness.open({ persona: 'interviewer' });
    const send = async (text: string) => {
      await widget('textarea').fill(text);
      await page.keyboard.press('Enter');
    };
    await widget('.msg.persona', { hasText: '先请你做个简单的自我介绍吧' }).waitFor();
    await widget('.scenario .phase', { hasText: '自我介绍' }).waitFor();
    await expect(widget('.scenario button.end').textContent()).resolves.toBe('结束面试');

    await send('我叫王明，做了三年后端开发。');
    await widget('.msg.persona', { hasText: '你最有成就感的后端项目' }).waitFor();
    await widget('.scenario .phase', { hasText: '技术问答' }).waitFor();
    await shot('widget-interview-questions');
    await send('我负责订单系统的重构，技术选型上用了 Go，效果是接口延迟降低了百分之四十。');
    await widget('.msg.persona', { hasText: '数据库慢查询' }).waitFor();
    await send('先看执行计划和慢查询日志，再加索引，必要时加缓存。');

    await widget('.msg.persona', { hasText: '答疑环节 剩余时间 04:00' }).waitFor();
    await widget('.scenario .phase', { hasText: '答疑环节' }).waitFor();
    await expect(widget('.scenario .countdown').textContent()).resolves.toMatch(/^(04:00|03:5\d)$/);
    await expect(widget('.scenario button.suggestion').allTextContents()).resolves.toEqual([
      '这个岗位主要做什么？',
      '团队有多少人？',
      '你们用什么技术栈？',
      '可以远程办公吗？',
    ]);
    await shot('widget-interview-qa');
    await widget('.scenario button.suggestion', { hasText: '团队有多少人？' }).click();
    await widget('.msg.persona', { hasText: '十二位工程师' }).waitFor();

    await widget('.scenario button.end', { hasText: '结束面试' }).click();
    await widget('.msg.persona', { hasText: '五个工作日' }).waitFor();
    await widget('.scenario .ended').waitFor();
    await expect(widget('.scenario .countdown').count()).resolves.toBe(0);
    await shot('widget-interview-ended');

    const id = await conversationId();
    const report = (await (await harness.admin('GET', `/v1/conversations/${id}/interview-report`)).json()) as {
      status: string;
      questions: { questionId: string; answer: string }[];
      candidateQuestions: { question: string }[];
    };
    expect(report.status).toBe('completed');
    expect(report.questions.map((q) => q.questionId)).toEqual(['project', 'slow-query']);
    expect(report.questions[1].answer).toBe('先看执行计划和慢查询日志，再加索引，必要时加缓存。');
    expect(report.candidateQuestions.map((q) => q.question)).toEqual(['团队有多少人？']);
    expect(failures).toEqual([]);
    await page.context().close();
  }, 90_000);
});
