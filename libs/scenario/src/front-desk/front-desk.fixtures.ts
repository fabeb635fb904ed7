import { type FlowInput, flowSchema, type PhaseSpec } from '@zhibing/protocol';
import type { ScenarioContext } from '../contract';

/** The registration form of the shipped front desk, as unit specs use it. */
export const registrationFlow: FlowInput = {
  start: 'desk',
  intents: { register: ['登记'], handoff: ['转人工'], cancel: ['取消', '不登记了'] },
  on: { register: 'registration', handoff: 'handoff' },
  phases: [
    { id: 'desk', kind: 'chat' },
    {
      id: 'registration',
      kind: 'form',
      title: '访客登记',
      say: '好的，我来帮您登记。',
      slots: [
        { name: 'name', label: '姓名', ask: '请问您怎么称呼？', type: 'name' },
        { name: 'phone', label: '电话', ask: '请留一个联系电话。', type: 'phone' },
        { name: 'host', label: '被访人', ask: '请问您找哪位？', type: 'text' },
        { name: 'date', label: '来访日期', ask: '哪天来访？', type: 'date' },
        { name: 'time', label: '来访时间', ask: '几点到？', type: 'time' },
        { name: 'plate', label: '车牌', ask: '开车来吗？车牌号是？', type: 'text', required: false },
      ],
      confirm: '请核对：\n{{summary}}\n没问题请回复“确认”。',
      recordKind: 'registration',
      next: 'desk',
    },
    { id: 'handoff', kind: 'handoff', say: '好的，正在为您转接工作人员，请稍等。', next: 'desk' },
  ],
  hours: { timezone: 'Asia/Shanghai', open: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' }] },
};

/** A context at a fixed instant: Wednesday 2026-11-25, 10:30 in Beijing. */
export function fixedContext(overrides: Partial<ScenarioContext> = {}): ScenarioContext {
  return {
    now: new Date('2026-11-25T02:30:00Z'),
    locale: 'zh-CN',
    flow: flowSchema.parse(registrationFlow),
    workspaceId: 'w',
    conversationId: 'c',
    questionBank: async () => undefined,
    ...overrides,
  };
}

export function phaseOf(context: ScenarioContext, id: string): PhaseSpec {
  return context.flow.phases.find((p) => p.id === id)!;
}
