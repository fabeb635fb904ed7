import { deskAnswer } from '@zhibing/scenario';
import { flowSchema } from '@zhibing/protocol';
import { loadPersonaFiles } from '@zhibing/persona';
import * as path from 'node:path';
import { type ChatClient, connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

const ORIGIN = 'https://lobby.example';
const shipped = loadPersonaFiles(path.join(__dirname, '..', '..', 'persona')).find((p) => p.id === 'front-desk')!;

/**
 * A whole visit to the shipped front desk (persona/front-desk.yaml) over real sockets: a question
 * answered from the knowledge base, the opening hours from the flow, a registration filled through
 * dialogue (one wrong phone number corrected), confirmed and visible over REST; then a hand-off:
 * an operator watching the workspace hears the request, takes over, answers under their name and
 * hands back, and the persona answers again.
 */
describe.each(testDatabases())('a front-desk visit on $name', (database) => {
  let server: TestApp;
  let visitor: ChatClient;
  let operator: ChatClient;
  let conversationId: string;
  let n = 0;

  async function call(method: string, url: string, body?: unknown) {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_ADMIN_KEY}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** The visitor says `text` and gets the whole reply's text. */
  const say = async (text: string) => (await visitor.ask(conversationId, `m-${++n}`, text)).end;
  const lastView = () =>
    [...visitor.events]
      .reverse()
      .find((e) => e.event === 'scenario.state' && e.payload.conversationId === conversationId)?.payload.scenario;

  beforeAll(async () => {
    server = await startTestApp(database);
    const workspaces = (await call('GET', '/v1/workspaces')).body as { id: string; name: string }[];
    const workspaceId = workspaces.find((w) => w.name === 'default')!.id;
    const widgetKey = await call('POST', `/v1/workspaces/${workspaceId}/keys`, {
      name: 'lobby widget',
      scope: 'widget',
      personaIds: ['front-desk'],
      allowedOrigins: [ORIGIN],
    });
    visitor = await connectChat(server.url, { key: widgetKey.body.key, origin: ORIGIN });
    operator = await connectChat(server.url, { key: TEST_ADMIN_KEY });
  });
  afterAll(async () => {
    visitor?.close();
    operator?.close();
    await server?.close();
  });

  it('greets at the desk with its suggestions', async () => {
    const started = await visitor.request('session.start', { personaId: 'front-desk', visitorId: 'v-lobby' });
    expect(started.ok).toBe(true);
    conversationId = started.data.conversationId;
    expect(started.data.greeting).toBe(shipped.greeting);
    expect(started.data.scenario).toEqual({
      kind: 'front-desk',
      phase: 'desk',
      suggestions: ['访客登记', '现在开门吗？', '大厦地址在哪里？', '转人工'],
      ended: false,
    });
  });

  it('answers a question from the knowledge base, and the opening hours and address from the flow', async () => {
    const wifi = await say('WiFi密码是多少？');
    expect(wifi.text).toContain('BAAI-Guest');
    expect(wifi.knowledge.length).toBeGreaterThan(0);

    const asked = new Date();
    const hours = await say('现在开门吗？');
    const flow = flowSchema.parse(shipped.flow);
    // The line depends on the clock: the same minute on both sides (or the next, if it turned meanwhile).
    expect([
      deskAnswer('现在开门吗？', flow, asked, 'zh-CN'),
      deskAnswer('现在开门吗？', flow, new Date(), 'zh-CN'),
    ]).toContain(hours.text);
    expect(hours.text).toContain('营业时间：周一至周五 08:00–20:00。');
    expect(hours.knowledge).toEqual([]);
    expect((await say('怎么走？')).text).toMatch(/^我们的地址是北京市海淀区成府路150号智源大厦/);
  });

  it('registers the visitor through dialogue, refusing a wrong phone number, and stores the record', async () => {
    const entered = await say('我要登记');
    expect(entered.text).toBe('好的，我来帮您登记，需要问您几个问题。说“取消”可以随时退出。\n请问您怎么称呼？');
    expect(lastView()).toMatchObject({ phase: 'registration', title: '访客登记', form: { phase: 'registration' } });

    expect((await say('我叫张三')).text).toBe('请留一个联系电话（手机号或座机）。');
    expect((await say('139 1234 567')).text).toBe(
      '这个号码好像不对，请提供11位手机号，或带区号的座机号码。\n请留一个联系电话（手机号或座机）。',
    );
    expect((await say('139 1234 5678')).text).toBe('请问您要拜访哪位？');
    // A reconnect half way resumes the form as it was: the values given so far, the same question next.
    const again = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const resumed = await again.request('session.start', { personaId: 'front-desk', conversationId });
      expect(resumed.data.scenario.form.fields.map((f: any) => f.value)).toEqual([
        '张三',
        '13912345678',
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
    } finally {
      again.close();
    }
    expect((await say('李老师')).text).toBe('请问您来访的事由是什么？');
    expect((await say('参加项目评审会')).text).toBe('您哪天来访？（比如“明天”或“12月3日”）');
    expect((await say('12月3日')).text).toBe('大概几点到？（比如“下午三点”）');
    const confirm = await say('下午三点');
    expect(confirm.text).toContain('姓名：张三\n联系电话：13912345678\n被访人：李老师\n来访事由：参加项目评审会');
    expect(confirm.text).toContain('来访时间：15:00');
    expect(lastView().form.fields.find((f: any) => f.name === 'phone')).toMatchObject({ value: '13912345678' });
    expect(lastView().suggestions).toEqual(['确认', '修改', '取消']);

    const done = await say('确认');
    expect(done.text).toBe('好的，已经为您登记好了。');
    expect(lastView()).toMatchObject({
      phase: 'desk',
      suggestions: ['访客登记', '现在开门吗？', '大厦地址在哪里？', '转人工'],
    });
    expect(lastView().form).toBeUndefined();

    const records = await call('GET', '/v1/scenario-records?kind=registration&personaId=front-desk');
    expect(records.status).toBe(200);
    expect(records.body).toEqual([
      {
        id: expect.any(String),
        conversationId,
        personaId: 'front-desk',
        kind: 'registration',
        data: {
          name: '张三',
          phone: '13912345678',
          host: '李老师',
          purpose: '参加项目评审会',
          date: expect.stringMatching(/^\d{4}-12-03$/),
          time: '15:00',
        },
        createdAt: expect.any(String),
      },
    ]);
  });

  it('takes the registration from the widget form: an invalid value is a typed error that stores nothing', async () => {
    expect((await say('访客登记')).text).toMatch(/请问您怎么称呼？$/);
    const before = (await call('GET', '/v1/scenario-records')).body.length;
    const bad = await visitor.request('scenario.action', {
      conversationId,
      action: 'form',
      phase: 'registration',
      values: { name: '王五', phone: '12345', host: '李老师', purpose: '面试', date: '明天', time: '25点' },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'form_invalid',
        message: 'Invalid or missing: phone, time',
        details: { fields: ['phone', 'time'] },
      },
    });
    expect(lastView().form.fields.find((f: any) => f.name === 'name').value).toBeUndefined();
    const stale = await visitor.request('scenario.action', {
      conversationId,
      action: 'form',
      phase: 'desk',
      values: {},
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'scenario_phase_conflict' } });

    const good = await visitor.request('scenario.action', {
      conversationId,
      action: 'form',
      phase: 'registration',
      values: {
        name: '王五',
        phone: '010-62345678',
        host: '李老师',
        purpose: '面试',
        date: '2027-01-05',
        time: '9:30',
      },
    });
    expect(good.ok).toBe(true);
    expect(good.data.scenario.form.fields.find((f: any) => f.name === 'time').value).toBe('09:30');
    const confirmation = await visitor.waitFor('reply.end', (p) => p.text.includes('姓名：王五'));
    expect(confirmation.text).toContain('联系电话：010-62345678');
    expect((await say('确认')).text).toBe('好的，已经为您登记好了。');
    const records = (await call('GET', '/v1/scenario-records?kind=registration')).body;
    expect(records).toHaveLength(before + 1);
    expect(records[0].data).toMatchObject({ name: '王五', phone: '010-62345678', date: '2027-01-05' });
  });

  it('leaves a registration half way on 取消, storing nothing', async () => {
    await say('我想预约明天来访');
    expect(lastView()).toMatchObject({ phase: 'registration' });
    await say('我叫赵六');
    const records = (await call('GET', '/v1/scenario-records')).body.length;
    expect((await say('不登记了')).text).toBe('好的，已取消登记，信息没有保存。还有什么可以帮您？');
    expect(lastView()).toMatchObject({ phase: 'desk' });
    expect((await call('GET', '/v1/scenario-records')).body).toHaveLength(records);
  });

  it('hands the visitor to an operator who answers under their name, and back to the persona', async () => {
    expect(await operator.request('operator.watch', {})).toEqual({ ok: true, data: { watching: true } });

    const asked = await say('我要转人工');
    expect(asked.text).toBe('好的，正在为您转接工作人员，请稍等。');
    const heard = await operator.waitFor('handoff.requested', (p) => p.conversationId === conversationId);
    expect(heard).toEqual({ conversationId, personaId: 'front-desk', reason: '我要转人工', at: expect.any(String) });
    expect(lastView()).toMatchObject({ phase: 'handoff', waitingForOperator: true });
    expect((await call('GET', '/v1/handoffs')).body).toEqual([
      { conversationId, personaId: 'front-desk', reason: '我要转人工', at: heard.at },
    ]);
    expect((await say('还要多久？')).text).toBe('工作人员马上就到，请您稍等片刻。');

    const joined = await operator.request('operator.join', { conversationId });
    expect(joined.ok).toBe(true);
    const taken = await call('POST', `/v1/conversations/${conversationId}/takeover`, { operatorName: '李娜' });
    expect(taken.status).toBe(200);
    expect(await visitor.waitFor('conversation.takeover')).toMatchObject({ conversationId, operatorName: '李娜' });
    // Someone has joined: the widget stops showing "waiting for a person", live and on a resume.
    await visitor.waitFor(
      'scenario.state',
      (p) => p.scenario.phase === 'handoff' && p.scenario.waitingForOperator === undefined,
    );
    const watcher = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const resumed = await watcher.request('session.start', { personaId: 'front-desk', conversationId });
      expect(resumed.data).toMatchObject({ operator: { name: '李娜' }, scenario: { phase: 'handoff' } });
      expect(resumed.data.scenario.waitingForOperator).toBeUndefined();
    } finally {
      watcher.close();
    }
    expect((await call('GET', '/v1/handoffs')).body).toEqual([]);

    const question = await visitor.request('message', {
      conversationId,
      clientMessageId: 'm-op',
      text: '发票怎么开？',
    });
    expect(question.ok).toBe(true);
    await operator.waitFor('visitor.message', (p) => p.turnId === question.data.turnId);
    const sent = await operator.request('operator.message', {
      conversationId,
      clientMessageId: 'o-1',
      text: '您好，我是李娜。发票请到二楼财务室开具。',
    });
    expect(sent.ok).toBe(true);
    const answer = await visitor.waitFor('reply.end', (p) => p.turnId === sent.data.turnId);
    expect(answer).toMatchObject({
      text: '您好，我是李娜。发票请到二楼财务室开具。',
      from: { kind: 'operator', name: '李娜' },
    });

    expect((await call('POST', `/v1/conversations/${conversationId}/handback`)).status).toBe(200);
    await visitor.waitFor('conversation.handback');
    await visitor.waitFor('scenario.state', (p) => p.conversationId === conversationId && p.scenario.phase === 'desk');
    expect(lastView().waitingForOperator).toBeUndefined();

    const again = await say('有停车场吗？');
    expect(again.text).toContain('停车');
    expect(again.from).toBeUndefined();
    expect(again.knowledge.length).toBeGreaterThan(0);
  });
});
