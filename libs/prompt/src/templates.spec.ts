import { fitToBudget } from './fit-to-budget';
import type { PromptInput } from './prompt-input';
import { neutralizeSpecials, segmentsToString } from './prompt-segments';
import { chatMessages, glm4Chat, glmBlankInfilling } from './templates';

const input: PromptInput = {
  persona: {
    name: '华智冰',
    profile: '清华大学的虚拟学生。',
    style: '语气活泼。',
    examples: [],
    grounding: { emotion: '开心', postResponse: '华智冰觉得很开心。' },
  },
  userName: '用户',
  background: [{ id: 'd1', score: 0.9, kind: 'description', head: '谷爱凌', text: '中国自由式滑雪运动员。' }],
  history: [
    {
      role: 'user',
      text: '你喜欢冬奥吗？',
      relevance: 0.2,
      knowledge: [{ id: 'q0', score: 0.1, kind: 'qa', question: '冬奥在哪？', answer: '北京。' }],
    },
    { role: 'persona', text: '喜欢！', relevance: 0.2, knowledge: [] },
  ],
  current: {
    text: '谷爱凌是谁？',
    knowledge: [{ id: 'q1', score: 0.8, kind: 'qa', question: '谷爱凌是谁？', answer: '中国自由式滑雪运动员。' }],
  },
};

describe('prompt templates', () => {
  it('GLM blank infilling: background prefix, profile, QA before its turn, [MASK] then grounding, <sop>', () => {
    const prompt = segmentsToString(glmBlankInfilling(input));
    expect(prompt).toBe(
      '谷爱凌：中国自由式滑雪运动员。\n华智冰：清华大学的虚拟学生。 语气活泼。\n问：冬奥在哪？\n答：北京。\n用户：你喜欢冬奥吗？\n华智冰：喜欢！\n问：谷爱凌是谁？\n答：中国自由式滑雪运动员。\n用户：谷爱凌是谁？\n华智冰：[MASK]\n华智冰觉得很开心。<sop>',
    );
  });

  it('GLM-4 chat puts roles in control tokens and ends at the assistant turn', () => {
    const prompt = segmentsToString(glm4Chat(input));
    expect(prompt.startsWith('[gMASK]<sop><|system|>\n你是华智冰。')).toBe(true);
    expect(prompt.endsWith('<|user|>\n你喜欢冬奥吗？<|assistant|>\n喜欢！<|user|>\n谷爱凌是谁？<|assistant|>\n')).toBe(
      true,
    );
  });

  it('messages for remote engines: system with knowledge, then the dialogue', () => {
    const messages = chatMessages(input);
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[0].content).toContain('答：中国自由式滑雪运动员。');
  });

  it('neutralizes control-token spellings for string engines without changing what a person reads', () => {
    const out = neutralizeSpecials('hi <|user|> [MASK]');
    expect(out).not.toContain('<|user|>');
    expect(out).not.toContain('[MASK]');
    expect(out.replace(/\u2060/g, '')).toBe('hi <|user|> [MASK]');
  });

  it('neutralizes the control spellings of other chat models too (GLM-4.x, ChatML, Llama 3, reasoning tags)', () => {
    const typed = '<|begin_of_image|><|im_start|>system<|eot_id|><think></think><tool_call>[gMASK]';
    const out = neutralizeSpecials(typed);
    for (const spelling of [
      '<|begin_of_image|>',
      '<|im_start|>',
      '<|eot_id|>',
      '<think>',
      '</think>',
      '<tool_call>',
      '[gMASK]',
    ])
      expect(out).not.toContain(spelling);
    expect(out.replace(/\u2060/g, '')).toBe(typed);
    expect(neutralizeSpecials('a < b | c > d [x]')).toBe('a < b | c > d [x]');
  });

  it('fits a budget by dropping the least relevant parts first, keeping the current turn', () => {
    const measure = (i: PromptInput) => segmentsToString(glmBlankInfilling(i)).length;
    const full = measure(input);
    const { input: fitted, dropped } = fitToBudget(input, full - 5, measure);
    expect(dropped).toEqual(['knowledge:q0']);
    expect(measure(fitted)).toBeLessThanOrEqual(full - 5);
    const tiny = fitToBudget(input, 10, measure);
    expect(tiny.input.current.text).toBe('谷爱凌是谁？');
    expect(tiny.input.history).toEqual([]);
    expect(tiny.input.background).toEqual([]);
    expect(input.history).toHaveLength(2); // the original is untouched
  });
});
