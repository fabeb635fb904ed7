import { type Flow, type FlowInput, flowSchema } from '@zhibing/protocol';
import type { PhaseHandler, ScenarioContext } from './contract';
import { defaultPhaseHandlers } from './handlers';
import { ScenarioMachine } from './scenario-machine';

const flow: Flow = flowSchema.parse({
  intents: { end: ['结束', 'bye'], help: ['人工'] },
  on: { help: 'close' },
  phases: [
    { id: 'intro', kind: 'prompt', say: '请先介绍一下自己。' },
    {
      id: 'qa',
      kind: 'chat',
      title: '答疑',
      say: '有什么问题可以问我，还剩 {{remaining}}。',
      timer: { seconds: 90, then: 'close' },
      suggestions: ['公司在哪里？'],
      endButton: '结束',
    },
    { id: 'close', kind: 'prompt', say: '谢谢，再见。', end: true },
  ],
} satisfies FlowInput);

const at = (iso: string): ScenarioContext => ({
  now: new Date(iso),
  locale: 'zh-CN',
  flow,
  workspaceId: 'ws',
  conversationId: 'c',
  questionBank: async () => undefined,
});
const T0 = '2026-11-25T03:00:00.000Z';
const machine = new ScenarioMachine(defaultPhaseHandlers());

describe('ScenarioMachine', () => {
  it('starts in the first phase, saying its line, with a view and nothing due', async () => {
    const { state, directive, view } = await machine.start(flow, at(T0), 'interview');
    expect(directive).toEqual({ answer: false, say: ['请先介绍一下自己。'] });
    expect(state).toMatchObject({ kind: 'interview', phase: 'intro', ended: false, version: 1 });
    expect(state.path).toEqual([{ phase: 'intro', at: T0, by: 'start' }]);
    expect(state.dueAt).toBeUndefined();
    expect(view).toEqual({ kind: 'interview', phase: 'intro', suggestions: [], ended: false });
  });

  it('a prompt is completed by the next message, unanswered; entering the chat phase starts its timer', async () => {
    const { state } = await machine.start(flow, at(T0));
    const out = await machine.step(state, { type: 'message', text: '我是张三' }, at('2026-11-25T03:00:10.000Z'));
    expect(out.directive).toEqual({ answer: false, say: ['有什么问题可以问我，还剩 01:30。'] });
    expect(out.transition).toEqual({ from: 'intro', to: 'qa', by: 'done' });
    expect(out.state.phases.intro).toEqual({ reply: '我是张三' });
    expect(out.state.dueAt).toBe('2026-11-25T03:01:40.000Z');
    expect(out.view).toEqual({
      kind: 'chat',
      phase: 'qa',
      title: '答疑',
      endsAt: '2026-11-25T03:01:40.000Z',
      suggestions: ['公司在哪里？'],
      endButton: '结束',
      ended: false,
    });
    expect(out.state.version).toBe(state.version + 1);
  });

  async function inChat() {
    const { state } = await machine.start(flow, at(T0));
    return (await machine.step(state, { type: 'message', text: '我是张三' }, at('2026-11-25T03:00:10.000Z'))).state;
  }

  it('a chat phase answers every message from knowledge and stays', async () => {
    const state = await inChat();
    const out = await machine.step(state, { type: 'message', text: '公司在哪里？' }, at(T0));
    expect(out).toMatchObject({ directive: { answer: true, say: [] }, changed: false });
    expect(out.transition).toBeUndefined();
    expect(out.state).toBe(state);
  });

  it('an early timer changes nothing; a due one moves to its phase, which ends the scenario', async () => {
    const state = await inChat();
    const early = await machine.step(state, { type: 'timer' }, at('2026-11-25T03:01:39.000Z'));
    expect(early.changed).toBe(false);
    const due = await machine.step(state, { type: 'timer' }, at('2026-11-25T03:01:40.000Z'));
    expect(due.transition).toEqual({ from: 'qa', to: 'close', by: 'timer' });
    expect(due.directive).toEqual({ answer: false, say: ['谢谢，再见。'] });
    expect(due.state).toMatchObject({ phase: 'close', ended: true });
    expect(due.state.dueAt).toBeUndefined();
    expect(due.view).toEqual({ kind: 'chat', phase: 'close', suggestions: [], ended: true });
  });

  it('a message after the time ran out (before the timer fired) moves on by the timer, unanswered', async () => {
    const state = await inChat();
    const out = await machine.step(state, { type: 'message', text: '公司在哪里？' }, at('2026-11-25T03:01:41.000Z'));
    expect(out.transition).toEqual({ from: 'qa', to: 'close', by: 'timer' });
    expect(out.directive).toEqual({ answer: false, say: ['谢谢，再见。'] });
  });

  it('the end keyword (full-width, any case) and the end button go to the end phase', async () => {
    const state = await inChat();
    const byWord = await machine.step(state, { type: 'message', text: '那就 ＢＹＥ 吧' }, at(T0));
    expect(byWord.transition).toEqual({ from: 'qa', to: 'close', by: 'intent' });
    expect(byWord.directive).toEqual({ answer: false, say: ['谢谢，再见。'] });
    const byButton = await machine.step(state, { type: 'action', action: 'end' }, at(T0));
    expect(byButton.transition).toEqual({ from: 'qa', to: 'close', by: 'action' });
  });

  it('flow.on moves on an intent; a phase’s own on wins', async () => {
    const state = await inChat();
    expect((await machine.step(state, { type: 'message', text: '转人工' }, at(T0))).state.phase).toBe('close');
    const own: Flow = {
      ...flow,
      phases: flow.phases.map((p) => (p.id === 'qa' ? { ...p, on: { help: 'intro' } } : p)),
    };
    const out = await machine.step(state, { type: 'message', text: '转人工' }, { ...at(T0), flow: own });
    expect(out.transition).toEqual({ from: 'qa', to: 'intro', by: 'intent' });
  });

  it('after the end, messages get the normal answer and nothing moves', async () => {
    const state = await inChat();
    const { state: ended } = await machine.step(state, { type: 'action', action: 'end' }, at(T0));
    const out = await machine.step(ended, { type: 'message', text: '结束' }, at(T0));
    expect(out).toMatchObject({ directive: { answer: true, say: [] }, changed: false });
    expect((await machine.step(ended, { type: 'timer' }, at('2030-01-01T00:00:00Z'))).changed).toBe(false);
    await expect(machine.step(ended, { type: 'action', action: 'end' }, at(T0))).rejects.toMatchObject({
      code: 'scenario_phase_conflict',
    });
  });

  it('a step that only makes a record (its data unchanged) is a change, so the record is stored', async () => {
    const recorder: PhaseHandler = {
      kind: 'form',
      enter: async () => ({ data: {}, directive: { answer: false, say: [] } }),
      message: async (_p, data, text) => ({
        data,
        directive: { answer: false, say: ['已记录。'] },
        records: [{ kind: 'note', data: { text } }],
      }),
    };
    const noting = new ScenarioMachine(new Map([['form', recorder]]));
    const noteFlow = flowSchema.parse({
      phases: [{ id: 'f', kind: 'form', slots: [{ name: 'n', label: 'N', ask: '?' }] }],
    });
    const ctx = { ...at(T0), flow: noteFlow };
    const { state } = await noting.start(noteFlow, ctx);
    const out = await noting.step(state, { type: 'message', text: '你好' }, ctx);
    expect(out).toMatchObject({ changed: true, records: [{ kind: 'note', data: { text: '你好' } }] });
    expect(out.state.version).toBe(state.version + 1);
  });

  it('a flow with a phase kind nobody handles is a typed error at start', async () => {
    const questions = flowSchema.parse({ phases: [{ id: 'q', kind: 'questions', role: 'dev' }] });
    const withoutQuestions = new ScenarioMachine(
      new Map([...defaultPhaseHandlers()].filter(([k]) => k !== 'questions')),
    );
    await expect(withoutQuestions.start(questions, at(T0))).rejects.toMatchObject({ code: 'scenario_unsupported' });
  });

  it('a form for another phase is refused; a handback finishes a handoff phase', async () => {
    const handoff: PhaseHandler = {
      kind: 'handoff',
      enter: async () => ({
        data: {},
        directive: { answer: false, say: ['正在为您联系工作人员。'] },
        handoff: { reason: 'x' },
      }),
      message: async (_p, data) => ({ data, directive: { answer: false, say: [] } }),
      view: () => ({ waitingForOperator: true }),
    };
    const withHandoff = new ScenarioMachine(new Map([...defaultPhaseHandlers(), ['handoff', handoff]]));
    const handFlow = flowSchema.parse({
      phases: [
        { id: 'ask', kind: 'handoff' },
        { id: 'after', kind: 'chat', say: '还有什么可以帮您？' },
      ],
    });
    const ctx = { ...at(T0), flow: handFlow };
    const started = await withHandoff.start(handFlow, ctx);
    expect(started.handoff).toEqual({ reason: 'x' });
    expect(started.view.waitingForOperator).toBe(true);
    await expect(
      withHandoff.step(started.state, { type: 'form', phase: 'after', values: {} }, ctx),
    ).rejects.toMatchObject({ code: 'scenario_phase_conflict' });
    const back = await withHandoff.step(started.state, { type: 'handback' }, ctx);
    expect(back.transition).toEqual({ from: 'ask', to: 'after', by: 'done' });
    expect(back.directive.say).toEqual(['还有什么可以帮您？']);
  });
});
