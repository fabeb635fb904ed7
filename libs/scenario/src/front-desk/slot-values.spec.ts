import type { SlotSpec } from '@zhibing/protocol';
import { FrontDeskError } from './front-desk.errors';
import { findSlotValue, validateSlotValue } from './slot-values';

// Wednesday 2026-11-25, 10:30 in Beijing (02:30 UTC).
const clock = { now: new Date('2026-11-25T02:30:00Z'), timezone: 'Asia/Shanghai' };
const slot = (type: SlotSpec['type'], extra: Partial<SlotSpec> = {}): SlotSpec => ({
  name: type,
  label: extra.label ?? type,
  ask: '?',
  type,
  required: true,
  ...extra,
});
const value = (type: SlotSpec['type'], text: string, whole = true, extra: Partial<SlotSpec> = {}) => {
  const found = findSlotValue(slot(type, extra), text, { whole, clock });
  return found && ('value' in found ? found.value : { invalid: found.invalid });
};

describe('slot values: name', () => {
  it.each([
    ['我叫张三', '张三'],
    ['我是张三', '张三'],
    ['您好，我是欧阳娜娜，来开会', '欧阳娜娜'],
    ['我叫李四电话13912345678', '李四'],
    ['我姓王', '王'],
    ['张三', '张三'],
    ['王小明。', '王小明'],
    ['My name is Ann Lee', 'Ann Lee'],
    ['Ann Lee', 'Ann Lee'],
  ])('%s → %s', (text, expected) => expect(value('name', text)).toBe(expected));

  it('refuses a sentence, a word that is no name, and cue words followed by no name', () => {
    expect(value('name', '我不想告诉你')).toEqual({ invalid: '我不想告诉你' });
    expect(value('name', '不知道')).toEqual({ invalid: '不知道' });
    expect(value('name', 'I do not want to say')).toEqual({ invalid: 'I do not want to say' });
    expect(value('name', 'a'.repeat(200))).toEqual({ invalid: 'a'.repeat(200) });
    expect(value('name', '我是来开会的', false)).toBeUndefined();
    expect(value('name', 'I am going to the meeting', false)).toBeUndefined();
  });

  it('needs a cue when the message answers another question', () => {
    expect(value('name', '张三', false)).toBeUndefined();
    expect(value('name', '明天下午我叫王五过来', false)).toBe('王五');
  });
});

describe('slot values: phone', () => {
  it.each([
    ['13912345678', '13912345678'],
    ['我的电话是 139 1234 5678', '13912345678'],
    ['139-1234-5678', '13912345678'],
    ['+86 139 1234 5678', '13912345678'],
    ['010-12345678', '010-12345678'],
    ['座机 0755 1234567', '0755-1234567'],
  ])('%s → %s', (text, expected) => expect(value('phone', text)).toBe(expected));

  it('refuses ten digits, a number starting 12, and an answer with no number', () => {
    expect(value('phone', '1391234567')).toEqual({ invalid: '1391234567' });
    expect(value('phone', '12345678901')).toEqual({ invalid: '12345678901' });
    expect(value('phone', '电话写错了，是139123456')).toEqual({ invalid: '139123456' });
    expect(value('phone', '不方便说')).toBeUndefined();
  });

  it('does not take a date for a phone, nor report digits when the message is about something else', () => {
    expect(value('phone', '2026-12-03', false)).toBeUndefined();
    expect(value('phone', '我们3位，预约123号房间', false)).toBeUndefined();
  });
});

describe('slot values: email', () => {
  it('finds and lower-cases an address, refuses one without a domain', () => {
    expect(value('email', '邮箱是 Ann.Lee@Example.COM 谢谢')).toBe('ann.lee@example.com');
    expect(value('email', 'ann@localhost')).toEqual({ invalid: 'ann@localhost' });
    expect(value('email', '没有邮箱', false)).toBeUndefined();
  });
});

describe('slot values: date (now: Wednesday 2026-11-25 in Beijing)', () => {
  it.each([
    ['今天', '2026-11-25'],
    ['明天上午', '2026-11-26'],
    ['后天', '2026-11-27'],
    ['大后天', '2026-11-28'],
    ['下周一', '2026-11-30'],
    ['下周三下午', '2026-12-02'],
    ['周五', '2026-11-27'],
    ['周三', '2026-11-25'],
    ['周一', '2026-11-30'],
    ['12月3日', '2026-12-03'],
    ['十二月三号', '2026-12-03'],
    ['1月5日', '2027-01-05'],
    ['2026-12-03', '2026-12-03'],
    ['2026年12月3日', '2026-12-03'],
    ['tomorrow', '2026-11-26'],
    ['next Monday', '2026-11-30'],
    ['Dec 3', '2026-12-03'],
    ['3rd of December', '2026-12-03'],
  ])('%s → %s', (text, expected) => expect(value('date', text)).toBe(expected));

  it('reads "today" in the flow\'s time zone, not UTC', () => {
    // 23:30 UTC on the 25th is already the 26th in Beijing and still the 25th in New York.
    const late = { now: new Date('2026-11-25T23:30:00Z'), timezone: 'Asia/Shanghai' };
    expect(findSlotValue(slot('date'), '今天', { whole: true, clock: late })).toMatchObject({ value: '2026-11-26' });
    const ny = { ...late, timezone: 'America/New_York' };
    expect(findSlotValue(slot('date'), 'today', { whole: true, clock: ny })).toMatchObject({ value: '2026-11-25' });
  });

  it('refuses a day that does not exist and an answer with no date', () => {
    expect(value('date', '2月30日')).toEqual({ invalid: '2月30日' });
    expect(value('date', '2026-13-01')).toEqual({ invalid: '2026-13-01' });
    expect(value('date', '还没想好')).toEqual({ invalid: '还没想好' });
    expect(value('date', '还没想好', false)).toBeUndefined();
  });
});

describe('slot values: time', () => {
  it.each([
    ['下午三点', '15:00'],
    ['3点半', '15:30'],
    ['上午九点一刻', '09:15'],
    ['早上8点', '08:00'],
    ['晚上七点半', '19:30'],
    ['中午十二点', '12:00'],
    ['两点四十五分', '14:45'],
    ['15:00', '15:00'],
    ['10：30', '10:30'],
    ['3:30 pm', '15:30'],
    ['9am', '09:00'],
    ['noon', '12:00'],
    ['明天下午3点来', '15:00'],
  ])('%s → %s', (text, expected) => expect(value('time', text)).toBe(expected));

  it('refuses an hour or minute that does not exist and an answer with no time', () => {
    expect(value('time', '25点')).toEqual({ invalid: '25点' });
    expect(value('time', '10:75')).toEqual({ invalid: '10:75' });
    expect(value('time', '随便')).toEqual({ invalid: '随便' });
  });
});

describe('slot values: number and text', () => {
  it('reads digits and Chinese numerals only when the message is about the number', () => {
    expect(value('number', '我们3个人')).toBe('3');
    expect(value('number', '两位')).toBe('2');
    expect(value('number', '十二')).toBe('12');
    expect(value('number', '没有')).toEqual({ invalid: '没有' });
    expect(value('number', '明天5点', false)).toBeUndefined();
    expect(value('number', '人数是五', false, { label: '人数' })).toBe('5');
  });

  it('takes the whole answer without lead-ins, or a labelled value inside another answer', () => {
    expect(value('text', '我找李老师。')).toBe('李老师');
    expect(value('text', '  参加面试的 ')).toBe('参加面试');
    expect(value('text', '。。', true)).toBeUndefined();
    expect(value('text', '被访人是李老师，明天来', false, { label: '被访人' })).toBe('李老师');
    expect(value('text', '我找李老师', false, { label: '被访人' })).toBeUndefined();
  });
});

describe('slot values: pattern', () => {
  it('must match the normalized value', () => {
    expect(value('text', 'A-1234', true, { pattern: '^[A-Z]-\\d{4}$' })).toBe('A-1234');
    expect(value('text', '1234', true, { pattern: '^[A-Z]-\\d{4}$' })).toEqual({ invalid: '1234' });
    expect(value('phone', '010-12345678', true, { pattern: '^1' })).toEqual({ invalid: '010-12345678' });
  });

  it('is a typed error when it is no regular expression', () => {
    expect(() => value('text', 'x', true, { pattern: '(' })).toThrow(FrontDeskError);
    expect(() => value('text', 'x', true, { pattern: '(' })).toThrow(
      expect.objectContaining({ code: 'slot_pattern_invalid' }),
    );
  });

  it('validates a form field as a whole answer', () => {
    expect(validateSlotValue(slot('phone'), '139 1234 5678', clock)).toBe('13912345678');
    expect(validateSlotValue(slot('phone'), 'abc', clock)).toBeUndefined();
  });
});
