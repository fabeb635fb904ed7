import { ZhibingError } from '@zhibing/protocol';
import type { PhaseData, PhaseResult } from '../contract';
import { formPhase } from './form-phase';
import { fixedContext, phaseOf } from './front-desk.fixtures';

const context = fixedContext();
const phase = phaseOf(context, 'registration');

/** Says each message in turn to the phase, from entering it; answers the last result. */
async function converse(...messages: string[]): Promise<PhaseResult> {
  let result = await formPhase.enter(phase, context);
  for (const text of messages) result = await formPhase.message(phase, result.data, text, context);
  return result;
}

describe('form phase: dialogue', () => {
  it('says the phase line, then asks the first slot', async () => {
    const entered = await formPhase.enter(phase, context);
    expect(entered.directive).toEqual({ answer: false, say: ['好的，我来帮您登记。', '请问您怎么称呼？'] });
    expect(entered.done).toBeFalsy();
  });

  it('fills values said on the way in ("我想登记，明天下午三点来")', async () => {
    const entered = await formPhase.enter(phase, fixedContext({ text: '我想登记，明天下午三点来' }));
    expect(entered.data.values).toEqual({ date: '2026-11-26', time: '15:00' });
  });

  it('asks each missing slot in turn and takes several values from one message', async () => {
    const result = await converse('我叫张三，电话13912345678');
    expect(result.data.values).toEqual({ name: '张三', phone: '13912345678' });
    expect(result.directive.say).toEqual(['请问您找哪位？']);
  });

  it('takes the asked text from the clauses that speak of no other slot', async () => {
    const result = await converse('张三', '13912345678', '明天下午三点来，找李老师');
    expect(result.data.values).toMatchObject({ host: '李老师', date: '2026-11-26', time: '15:00' });
    expect(result.directive.say).toEqual(['开车来吗？车牌号是？']);
  });

  it('refuses an invalid value with the per-type line and asks the same question again', async () => {
    const result = await converse('张三', '1391234567');
    expect(result.directive).toEqual({
      answer: false,
      say: ['这个号码好像不对，请提供11位手机号，或带区号的座机号码。', '请留一个联系电话。'],
    });
    expect(result.data.values).toEqual({ name: '张三' });
    const fixed = await formPhase.message(phase, result.data, '13912345678', context);
    expect(fixed.data.values).toEqual({ name: '张三', phone: '13912345678' });
  });

  it("uses the slot's own invalid line when it has one", async () => {
    const custom = {
      ...phase,
      slots: phase.slots!.map((s) => (s.name === 'name' ? { ...s, invalid: '请说名字' } : s)),
    };
    const entered = await formPhase.enter(custom, context);
    const result = await formPhase.message(custom, entered.data, '不告诉你', context);
    expect(result.directive.say).toEqual(['请说名字', '请问您怎么称呼？']);
  });

  it('answers a question asked instead of a value from the knowledge base, then asks again', async () => {
    const result = await converse('张三', '13912345678', '停车场在哪里？');
    expect(result.directive).toEqual({ answer: true, say: ['请问您找哪位？'] });
    expect(result.data.values).not.toHaveProperty('host');
    const instead = await converse('停车收费吗');
    expect(instead.directive).toEqual({ answer: true, say: ['请问您怎么称呼？'] });
    const confirming = await converse('张三', '13912345678', '李老师', '明天', '3点', '跳过', '会议室在几楼？');
    expect(confirming.directive.answer).toBe(true);
    expect(confirming.directive.say[0]).toMatch(/^请核对/);
  });

  it('lets an optional slot be skipped, then confirms with a summary of label: value lines', async () => {
    const result = await converse('张三', '13912345678', '我找李老师', '明天', '下午三点', '没有');
    expect(result.data.stage).toBe('confirming');
    expect(result.directive.say).toEqual([
      '请核对：\n姓名：张三\n电话：13912345678\n被访人：李老师\n来访日期：2026-11-26\n来访时间：15:00\n没问题请回复“确认”。',
    ]);
  });

  it('takes a correction while filling and while confirming ("电话写错了，是…")', async () => {
    const filling = await converse('张三', '13912345678', '电话写错了，是13987654321');
    expect(filling.data.values).toMatchObject({ phone: '13987654321' });
    expect(filling.directive.say).toEqual(['请问您找哪位？']);
    const confirming = await converse(
      '张三',
      '13912345678',
      '李老师',
      '明天',
      '3点',
      '跳过',
      '不对，电话是13700001111',
    );
    expect(confirming.data.values).toMatchObject({ phone: '13700001111' });
    expect(confirming.data.stage).toBe('confirming');
    expect(confirming.directive.say[0]).toContain('电话：13700001111');
  });

  it('stores a record and is done on yes', async () => {
    const result = await converse('张三', '13912345678', '李老师', '明天', '3点', '京A12345', '确认');
    expect(result.done).toBe(true);
    expect(result.records).toEqual([
      {
        kind: 'registration',
        data: {
          name: '张三',
          phone: '13912345678',
          host: '李老师',
          date: '2026-11-26',
          time: '15:00',
          plate: '京A12345',
        },
      },
    ]);
    expect(result.directive.say).toEqual(['好的，已经为您登记好了。']);
  });

  it('on no asks which value to change, then asks that slot again', async () => {
    const asked = await converse('张三', '13912345678', '李老师', '明天', '3点', '跳过', '修改');
    expect(asked.directive.say).toEqual(['请问要修改哪一项？（姓名、电话、被访人、来访日期、来访时间、车牌）']);
    const which = await formPhase.message(phase, asked.data, '被访人', context);
    expect(which.directive.say).toEqual(['请问您找哪位？']);
    const again = await formPhase.message(phase, which.data, '王老师', context);
    expect(again.data.values).toMatchObject({ host: '王老师' });
    expect(again.data.stage).toBe('confirming');
  });

  it("offers yes/change buttons while confirming, in the persona's language, and both work", async () => {
    const confirming = await converse('张三', '13912345678', '李老师', '明天', '3点', '跳过');
    expect(formPhase.view!(phase, confirming.data).suggestions).toEqual(['确认', '修改']);
    expect((await formPhase.message(phase, confirming.data, '确认', context)).done).toBe(true);
    const choosing = await formPhase.message(phase, confirming.data, '修改', context);
    expect(choosing.data.stage).toBe('choosing');
    expect(formPhase.view!(phase, choosing.data).suggestions).toEqual([]);
    const en = fixedContext({ locale: 'en' });
    const english = await formPhase.form!(
      phase,
      {},
      { name: 'Ann Lee', phone: '13912345678', host: 'Mr Li', date: 'tomorrow', time: '3 pm' },
      en,
    );
    expect(formPhase.view!(phase, english.data).suggestions).toEqual(['Yes', 'Change']);
    expect((await formPhase.message(phase, english.data, 'Change', en)).data.stage).toBe('choosing');
    expect((await formPhase.message(phase, english.data, 'yes', en)).done).toBe(true);
  });

  it('leaves on the cancel intent with a line and no record, unless the phase maps cancel itself', async () => {
    const left = await converse('张三', '不登记了');
    expect(left).toMatchObject({
      done: true,
      directive: { answer: false, say: ['好的，已取消登记，信息没有保存。还有什么可以帮您？'] },
    });
    expect(left.records).toBeUndefined();
    const mapped = { ...phase, on: { cancel: 'desk' } };
    const entered = await formPhase.enter(mapped, context);
    expect((await formPhase.message(mapped, entered.data, '取消', context)).done).toBeFalsy();
  });

  it('repeats the confirmation when the answer is neither yes nor no', async () => {
    const result = await converse('张三', '13912345678', '李老师', '明天', '3点', '跳过', '嗯？');
    expect(result.done).toBeFalsy();
    expect(result.directive.say[0]).toMatch(/^请核对/);
  });

  it('speaks English for an English persona', async () => {
    const en = fixedContext({ locale: 'en' });
    const entered = await formPhase.enter(phase, en);
    const result = await formPhase.message(phase, entered.data, 'I do not want to say', en);
    expect(result.directive.say[0]).toMatch(/did not catch your name/);
  });
});

describe('form phase: the widget form', () => {
  const submit = (data: PhaseData, values: Record<string, string>) => formPhase.form!(phase, data, values, context);

  it('validates like the dialogue and goes to confirmation', async () => {
    const entered = await formPhase.enter(phase, context);
    const result = await submit(entered.data, {
      name: '张三',
      phone: '139 1234 5678',
      host: '李老师',
      date: '2026-12-03',
      time: '15:00',
    });
    expect(result.data.values).toEqual({
      name: '张三',
      phone: '13912345678',
      host: '李老师',
      date: '2026-12-03',
      time: '15:00',
    });
    expect(result.data.stage).toBe('confirming');
    expect(result.directive.say[0]).toMatch(/^请核对/);
  });

  it('refuses an invalid, unknown or missing field with form_invalid naming them, storing nothing', async () => {
    const entered = await formPhase.enter(phase, context);
    const before = JSON.stringify(entered.data);
    const error = await submit(entered.data, { name: '张三', phone: '12', host: '李老师', colour: 'red' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ZhibingError);
    expect(error).toMatchObject({ code: 'form_invalid', details: { fields: ['colour', 'phone', 'date', 'time'] } });
    expect(JSON.stringify(entered.data)).toBe(before);
  });

  it('shows the fields with the values filled so far', async () => {
    const result = await converse('我叫张三');
    expect(formPhase.view!(phase, result.data)).toEqual({
      suggestions: [],
      form: {
        phase: 'registration',
        title: '访客登记',
        fields: [
          { name: 'name', label: '姓名', type: 'name', required: true, value: '张三' },
          { name: 'phone', label: '电话', type: 'phone', required: true },
          { name: 'host', label: '被访人', type: 'text', required: true },
          { name: 'date', label: '来访日期', type: 'date', required: true },
          { name: 'time', label: '来访时间', type: 'time', required: true },
          { name: 'plate', label: '车牌', type: 'text', required: false },
        ],
      },
    });
  });
});
