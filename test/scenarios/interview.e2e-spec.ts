import { connectChat, type ChatClient } from '../support/chat-client';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

/** How long the candidate's Q&A lasts in these runs (the shipped persona gives four minutes). */
const QA_SECONDS = 3;

const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

describe.each(testDatabases())('an interview with 面试官李老师 over socket.io on $name', (database) => {
  let server: TestApp;
  const clients: ChatClient[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: admin,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return { status: response.status, headers: response.headers, body: json && text ? JSON.parse(text) : text };
  };
  const connect = async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestApp(database);
    // The shipped interviewer, with a Q&A countdown short enough to run out during the test.
    const { persona } = (await call('GET', '/v1/personas/interviewer')).body;
    const phases = persona.flow.phases.map((p: { id: string }) =>
      p.id === 'candidate-qa' ? { ...p, timer: { seconds: QA_SECONDS, then: 'close' } } : p,
    );
    const saved = await call('PUT', '/v1/personas/interviewer', { ...persona, flow: { ...persona.flow, phases } });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
  });

  it('runs every phase: follow-ups, a company question mid-interview, the Q&A countdown, the report', async () => {
    const client = await connect();
    const started = await client.request('session.start', { personaId: 'interviewer' });
    const { conversationId } = started.data;
    expect(started.data.greeting).toBe('你好，我是今天的面试官李老师。面试大约三十分钟，先请你做个简单的自我介绍吧。');
    expect(started.data.scenario).toMatchObject({ kind: 'interview', phase: 'intro', endButton: '结束面试' });
    let seq = 0;
    const say = async (text: string) => (await client.ask(conversationId, `m-${++seq}`, text)).end.text as string;
    const turnIds: string[] = [];
    const answer = async (text: string) => {
      const asked = await client.ask(conversationId, `m-${++seq}`, text);
      turnIds.push(asked.accepted.data.turnId);
      return asked.end.text as string;
    };

    expect(await say('我叫王明，毕业于北京大学计算机系，做了三年后端开发。')).toBe(
      '谢谢你的介绍。接下来我会问你几个技术问题，请尽量结合你做过的项目来回答。\n' +
        '请介绍一个你最有成就感的后端项目：你负责哪一部分，用了哪些技术，效果怎么样？',
    );
    // The answer mentions 高并发: the follow-up asked is the one about it.
    expect(
      await answer(
        '我负责订单系统的重构，技术选型上用了 Go 和 Kafka，最大的挑战是高并发下的数据一致性。效果是接口延迟降低了百分之四十。',
      ),
    ).toBe('并发量大概是多少？你们是怎么扛住峰值流量的？');
    expect(await answer('峰值大约每秒两万请求，我们用限流和消息队列削峰。')).toBe(
      '好的，下一个问题：如果一个接口因为数据库慢查询变慢了，你会怎么排查和优化？',
    );
    // A question about the company: answered from the persona's knowledge, then back to the question.
    const company = await say('你们用什么技术栈？');
    expect(company).toContain('TypeScript');
    expect(company).toContain('我们回到刚才的问题：如果一个接口因为数据库慢查询变慢了');
    // A short answer: the generic follow-up.
    expect(await answer('看执行计划。')).toBe('能结合你做过的一次优化，具体讲讲优化前后的数据吗？');
    expect(await answer('有一次给订单表加了联合索引，慢查询从三秒降到五十毫秒。')).toContain('怎么使用缓存');
    expect(
      await answer('我们用本地缓存加分布式缓存，设置随机过期时间防止缓存雪崩，更新时先更新数据库再删除缓存。'),
    ).toContain('幂等');
    expect(
      await answer('我们给每个请求生成唯一的请求号，在数据库里建唯一索引去重，保证接口幂等，失败了就重试。'),
    ).toContain('线上故障');
    expect(
      await answer(
        '有一次监控告警发现错误率升高，我们查日志定位到新版本的问题，马上回滚恢复了服务，事后和团队一起做了复盘。',
      ),
    ).toBe('回滚之后，你们是怎么防止同样的问题再次发生的？');
    const last = await answer('我们加了灰度发布和自动化测试，上线前必须通过。');
    expect(last).toBe(
      '好的，我的问题就问到这里。\n' +
        `答疑环节 剩余时间 00:0${QA_SECONDS} 你对我们公司或岗位有什么想了解的吗？如果你没有疑问，你可以跟我说'再见'或者点击'结束面试'按钮。`,
    );
    const qa = await client.waitFor('scenario.state', (p) => p.scenario.phase === 'candidate-qa');
    expect(qa.scenario).toMatchObject({
      title: '答疑环节',
      endButton: '结束面试',
      suggestions: ['这个岗位主要做什么？', '团队有多少人？', '你们用什么技术栈？', '可以远程办公吗？'],
      endsAt: expect.any(String),
      ended: false,
    });
    expect(await say('团队有多少人？')).toContain('十二位工程师');

    // No more messages: the countdown runs out and the interviewer says goodbye on its own.
    const ended = await client.waitFor('scenario.state', (p) => p.scenario.ended, 15_000);
    expect(ended.scenario).toMatchObject({ phase: 'close', ended: true });
    const goodbye = await client.waitFor('reply.end', (p) => p.text.includes('五个工作日'), 15_000);
    expect(goodbye.text).toBe('今天的面试就到这里，感谢你的时间！我们会在五个工作日内通过邮件通知你面试结果，再见！');

    const { status, body: report } = await call('GET', `/v1/conversations/${conversationId}/interview-report`);
    expect(status).toBe(200);
    expect(report).toMatchObject({ conversationId, personaId: 'interviewer', role: 'backend-engineer' });
    expect(report.status).toBe('completed');
    expect(report.notes).toEqual([]);
    expect(report.questions.map((q: { questionId: string }) => q.questionId)).toEqual([
      'project',
      'slow-query',
      'cache',
      'idempotency',
      'incident',
    ]);
    const [project, slow, cache, , incident] = report.questions;
    expect(project.followUps).toEqual([
      {
        text: '并发量大概是多少？你们是怎么扛住峰值流量的？',
        answer: '峰值大约每秒两万请求，我们用限流和消息队列削峰。',
      },
    ]);
    expect(project.answerTurnIds).toEqual(turnIds.slice(0, 2));
    expect(project.scores[0]).toEqual({
      criterion: '项目经验',
      score: 5,
      max: 5,
      evidence: [
        '我负责订单系统的重构，技术选型上用了 Go 和 Kafka，最大的挑战是高并发下的数据一致性。',
        '效果是接口延迟降低了百分之四十。',
      ],
      missing: [],
    });
    expect(project.seconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(project.answeredAt)).toBeGreaterThanOrEqual(Date.parse(project.askedAt));
    expect(slow.answer).toBe('看执行计划。');
    expect(slow.notes).toEqual(['回答较短', '追问 1 次', '答题期间候选人提问 1 次']);
    expect(slow.scores[0]).toMatchObject({
      criterion: '技术深度',
      score: 3,
      evidence: ['看执行计划。', '有一次给订单表加了联合索引，慢查询从三秒降到五十毫秒。'],
    });
    expect(cache.scores[0]).toMatchObject({ score: 3, missing: ['缓存穿透', '一致性'] });
    expect(incident.followUps[0].answer).toBe('我们加了灰度发布和自动化测试，上线前必须通过。');
    expect(report.candidateQuestions).toEqual([
      { question: '团队有多少人？', answer: expect.stringContaining('十二位工程师'), at: expect.any(String) },
    ]);
    expect(report.summary.map((s: { criterion: string }) => s.criterion)).toEqual([
      '项目经验',
      '表达',
      '技术深度',
      '问题解决',
      '沟通协作',
    ]);

    const markdown = await fetch(`${server.url}/v1/conversations/${conversationId}/interview-report?format=markdown`, {
      headers: admin,
    });
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(markdown.headers.get('content-disposition')).toBe(`attachment; filename="interview-${conversationId}.md"`);
    const text = await markdown.text();
    expect(text).toContain('# 面试报告: backend-engineer');
    expect(text).toContain('**追问**: 并发量大概是多少？你们是怎么扛住峰值流量的？');
    expect(text).toContain('- **团队有多少人？**');
    const csv = await fetch(`${server.url}/v1/conversations/${conversationId}/interview-report?format=csv`, {
      headers: admin,
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[1]).toMatch(/^[0-9a-f-]{36},backend-engineer,completed,1,project,/);
  }, 120_000);

  it('ends early with the end button; the report says so; a stored bank wins over the persona’s own', async () => {
    const bank = {
      title: '后端（校招）',
      questions: [
        { id: 'basics', text: '进程和线程有什么区别？', criteria: [{ name: '基础', points: ['资源', '调度'] }] },
      ],
    };
    expect((await call('PUT', '/v1/question-banks/backend-engineer', bank)).status).toBe(200);
    const client = await connect();
    const { data } = await client.request('session.start', { personaId: 'interviewer' });
    const conversationId = data.conversationId;
    const intro = await client.ask(conversationId, 'm-1', '我是应届生李华。');
    expect(intro.end.text).toContain('进程和线程有什么区别？');

    const acted = await client.request('scenario.action', { conversationId, action: 'end' });
    expect(acted).toMatchObject({ ok: true, data: { scenario: { phase: 'close', ended: true } } });
    await client.waitFor('reply.end', (p) => p.conversationId === conversationId && p.text.includes('五个工作日'));

    const { body: report } = await call('GET', `/v1/conversations/${conversationId}/interview-report`);
    expect(report).toMatchObject({
      status: 'ended-early',
      endedAt: expect.any(String),
      notes: ['面试提前结束：1 道题中回答了 0 道'],
      candidateQuestions: [],
    });
    expect(report.questions).toEqual([
      expect.objectContaining({
        questionId: 'basics',
        answer: '',
        notes: ['面试提前结束，未作答'],
        scores: [{ criterion: '基础', score: 1, max: 5, evidence: [], missing: ['资源', '调度'] }],
      }),
    ]);
    expect((await call('DELETE', '/v1/question-banks/backend-engineer')).status).toBe(204);
  }, 60_000);

  it('resumes mid-questions after a reconnect; "没有了" is an answer there, and "再见" ends the interview', async () => {
    const first = await connect();
    const { data } = await first.request('session.start', { personaId: 'interviewer' });
    const conversationId = data.conversationId;
    await first.ask(conversationId, 'm-1', '我叫赵六，做了五年 Java 开发。');
    const q2 = await first.ask(
      conversationId,
      'm-2',
      '我做过一个内容审核平台，负责后端服务的架构设计和技术选型，效果是审核效率提升了三倍。',
    );
    expect(q2.end.text).toContain('数据库慢查询');
    first.close();

    const again = await connect();
    const resumed = await again.request('session.start', { personaId: 'interviewer', conversationId });
    expect(resumed.data).toMatchObject({ resumed: true, scenario: { phase: 'questions', title: '技术问答' } });
    // In the questions phase "没有了" answers the question (a short one: the generic follow-up), it ends nothing.
    const short = await again.ask(conversationId, 'm-3', '没有了');
    expect(short.end.text).toBe('能结合你做过的一次优化，具体讲讲优化前后的数据吗？');
    const bye = await again.ask(conversationId, 'm-4', '不好意思，我临时有事，再见');
    expect(bye.end.text).toContain('五个工作日');

    const { body: report } = await call('GET', `/v1/conversations/${conversationId}/interview-report`);
    expect(report.status).toBe('ended-early');
    expect(report.notes).toEqual(['面试提前结束：5 道题中回答了 2 道']);
    expect(report.questions.map((q: { answer: string }) => q.answer)).toEqual([
      '我做过一个内容审核平台，负责后端服务的架构设计和技术选型，效果是审核效率提升了三倍。',
      '没有了',
    ]);
    expect(report.questions[1].followUps).toEqual([
      { text: '能结合你做过的一次优化，具体讲讲优化前后的数据吗？', answer: '' },
    ]);
  }, 60_000);

  it('answers 404 for a conversation without an interview and for an unknown one', async () => {
    const client = await connect();
    const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
    const none = await call('GET', `/v1/conversations/${data.conversationId}/interview-report`);
    expect(none).toMatchObject({ status: 404, body: { code: 'interview_not_found' } });
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const unknown = await call('GET', '/v1/conversations/00000000-0000-4000-8000-000000000000/interview-report');
    expect(unknown.status).toBe(404);
    const badFormat = await call('GET', `/v1/conversations/${data.conversationId}/interview-report?format=pdf`);
    expect(badFormat.status).toBe(400);
  });
});
