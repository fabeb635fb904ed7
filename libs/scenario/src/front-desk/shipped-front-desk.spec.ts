import * as path from 'node:path';
import { loadPersonaFiles } from '@zhibing/persona';
import type { PhaseResult } from '../contract';
import { matchIntents } from '../intents';
import { deskAnswer } from './business-hours';
import { fixedContext } from './front-desk.fixtures';
import { formPhase } from './form-phase';

const persona = loadPersonaFiles(path.join(__dirname, '..', '..', '..', '..', 'persona')).find(
  (p) => p.id === 'front-desk',
)!;
const flow = persona.flow!;
const context = fixedContext({ flow });

describe('the shipped front desk (persona/front-desk.yaml)', () => {
  it('declares desk, registration and hand-off with their intents', () => {
    expect(flow.phases.map((p) => [p.id, p.kind])).toEqual([
      ['desk', 'chat'],
      ['registration', 'form'],
      ['handoff', 'handoff'],
    ]);
    expect(flow.on).toEqual({ register: 'registration', handoff: 'handoff' });
    expect(Object.keys(flow.intents)).toEqual(['register', 'handoff', 'cancel']);
  });

  it.each([
    ['我要登记', ['register']],
    ['我想预约明天来访', ['register']],
    ['转人工', ['handoff']],
    ['我想找工作人员', ['handoff']],
    ['能请前台同事来一下吗', ['handoff']],
    ['不登记了', ['register', 'cancel']],
    ['你们是做人工智能研究的吗？', []],
    ['我找人事部的王经理', []],
  ])('reads "%s" as %j', (text, intents) => expect(matchIntents(flow, text)).toEqual(intents));

  it('registers a visitor through dialogue with its slots', async () => {
    const phase = flow.phases.find((p) => p.id === 'registration')!;
    let result: PhaseResult = await formPhase.enter(phase, context);
    for (const text of ['我叫张三', '139 1234 5678', '李老师', '参加项目评审会', '明天', '下午两点半', '确认'])
      result = await formPhase.message(phase, result.data, text, context);
    expect(result.done).toBe(true);
    expect(result.records).toEqual([
      {
        kind: 'registration',
        data: {
          name: '张三',
          phone: '13912345678',
          host: '李老师',
          purpose: '参加项目评审会',
          date: '2026-11-26',
          time: '14:30',
        },
      },
    ]);
  });

  it('answers hours and address questions from its hours and location', () => {
    const saturday = new Date('2026-11-28T04:00:00Z');
    expect(deskAnswer('周末开门吗？', flow, saturday, persona.locale)).toBe(
      '我们现在不在营业时间，下次开门是周一08:00。营业时间：周一至周五 08:00–20:00。' +
        '周末和节假日大厦不对外开放，如需来访请提前预约。',
    );
    expect(deskAnswer('怎么走？', flow, saturday, persona.locale)).toMatch(/^我们的地址是北京市海淀区成府路150号/);
  });
});
