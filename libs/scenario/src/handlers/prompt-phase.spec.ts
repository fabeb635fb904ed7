import { phaseSchema } from '@zhibing/protocol';
import { contextAt } from '../interview/interview-fixtures';
import { promptPhase } from './prompt-phase';

const intro = phaseSchema.parse({ id: 'intro', kind: 'prompt', say: '请先做个自我介绍吧。' });
const context = contextAt('2026-01-01T10:00:00Z', 't1');

describe('promptPhase', () => {
  it('is done with the first reply, unanswered', async () => {
    const result = await promptPhase.message(intro, {}, '我叫王明，做了三年后端开发。', context);
    expect(result).toEqual({
      data: { reply: '我叫王明，做了三年后端开发。' },
      directive: { answer: false, say: [] },
      done: true,
    });
  });

  it('answers a question asked instead, from knowledge, and stays open', async () => {
    const result = await promptPhase.message(intro, {}, '面试流程是怎样的？', context);
    expect(result).toEqual({ data: {}, directive: { answer: true, say: [] } });
  });
});
