import { type Flow, flowSchema, type QuestionBank, questionBankSchema } from '@zhibing/protocol';
import type { ScenarioContext } from '../contract';

/** A small backend bank for the interview's unit specs (parsed, so defaults apply as in production). */
export const testBank: QuestionBank = questionBankSchema.parse({
  role: 'backend-engineer',
  title: '后端工程师',
  questions: [
    {
      id: 'cache',
      text: '你在项目里怎么用缓存？',
      criteria: [
        { name: '技术深度', points: ['缓存穿透', '过期/TTL', '一致性'] },
        { name: '表达', points: ['场景'] },
      ],
      followUps: [{ when: ['Redis'], text: 'Redis 挂了你们怎么办？' }, { text: '能举一个具体的例子吗？' }],
    },
    {
      id: 'db',
      text: '说说你做过的数据库优化。',
      criteria: [{ name: '技术深度', points: ['索引/index', '慢查询'] }],
      followUps: [{ text: '优化前后的数据是多少？' }],
    },
    { id: 'team', text: '你和同事意见不一致时怎么办？' },
  ],
});

/** A flow with the interview's four phases, as persona/interviewer.yaml has them. */
export const testFlow: Flow = flowSchema.parse({
  intents: { end: ['再见', '结束面试'], 'no-questions': ['没有问题了'] },
  on: { end: 'close' },
  phases: [
    { id: 'intro', kind: 'prompt', say: '请先做个自我介绍。' },
    { id: 'questions', kind: 'questions', role: 'backend-engineer', count: 2, followUps: 1, say: '下面开始提问。' },
    {
      id: 'qa',
      kind: 'chat',
      title: '答疑环节',
      timer: { seconds: 240, then: 'close' },
      on: { 'no-questions': 'close' },
    },
    { id: 'close', kind: 'prompt', say: '谢谢。', end: true },
  ],
});

/** A context at a fixed instant (`at`), with the test bank (null: no bank at all). */
export function contextAt(at: string, turnId?: string, bank: QuestionBank | null = testBank): ScenarioContext {
  return {
    now: new Date(at),
    locale: 'zh-CN',
    flow: testFlow,
    workspaceId: 'ws',
    conversationId: 'conv',
    turnId,
    questionBank: async (role) => (bank && role === bank.role ? bank : undefined),
  };
}
