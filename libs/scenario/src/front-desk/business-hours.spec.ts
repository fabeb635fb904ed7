import { type BusinessHours, flowSchema } from '@zhibing/protocol';
import { FrontDeskError } from './front-desk.errors';
import { deskAnswer, deskReply, describeHours, isOpen, nextOpening } from './business-hours';

const hours: BusinessHours = {
  timezone: 'Asia/Shanghai',
  open: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' }],
  note: '周末需要提前预约。',
};
const flow = flowSchema.parse({
  phases: [{ id: 'desk', kind: 'chat' }],
  hours,
  location: '北京市海淀区成府路150号 智源大厦',
});
// Instants in UTC; Beijing is UTC+8.
const wednesday1030 = new Date('2026-11-25T02:30:00Z');
const wednesday2130 = new Date('2026-11-25T13:30:00Z');
const friday2030 = new Date('2026-11-27T12:30:00Z');
const saturdayNoon = new Date('2026-11-28T04:00:00Z');
const wednesday0700 = new Date('2026-11-24T23:00:00Z');

describe('business hours', () => {
  it('is open inside the hours and closed outside, on the wall clock of the time zone', () => {
    expect(isOpen(hours, wednesday1030)).toBe(true);
    expect(isOpen(hours, wednesday2130)).toBe(false);
    expect(isOpen(hours, saturdayNoon)).toBe(false);
    // 23:00 UTC Tuesday is 07:00 Wednesday in Beijing (not yet open) but 18:00 Tuesday in New York (open).
    expect(isOpen(hours, wednesday0700)).toBe(false);
    expect(isOpen({ ...hours, timezone: 'America/New_York' }, wednesday0700)).toBe(true);
  });

  it('closes at the minute "to" names', () => {
    expect(isOpen(hours, new Date('2026-11-25T11:59:00Z'))).toBe(true);
    expect(isOpen(hours, new Date('2026-11-25T12:00:00Z'))).toBe(false);
  });

  it('finds the next opening: later today, tomorrow, after the weekend', () => {
    expect(nextOpening(hours, wednesday0700)).toEqual({ date: '2026-11-25', weekday: 3, time: '08:00', inDays: 0 });
    expect(nextOpening(hours, wednesday2130)).toEqual({ date: '2026-11-26', weekday: 4, time: '08:00', inDays: 1 });
    expect(nextOpening(hours, friday2030)).toEqual({ date: '2026-11-30', weekday: 1, time: '08:00', inDays: 3 });
    expect(nextOpening({ ...hours, open: [] }, friday2030)).toBeUndefined();
  });

  it('describes the hours with days grouped into runs, in Chinese and English', () => {
    const split: BusinessHours = {
      timezone: 'Asia/Shanghai',
      open: [
        { days: [1, 2, 3, 5], from: '09:00', to: '18:00' },
        { days: [6], from: '10:00', to: '16:00' },
      ],
    };
    expect(describeHours(split, 'zh-CN')).toBe(
      '营业时间：周一至周三 09:00–18:00；周五 09:00–18:00；周六 10:00–16:00。',
    );
    expect(describeHours(hours, 'en')).toBe('Opening hours: Mon–Fri 08:00–20:00. 周末需要提前预约。');
  });

  it('is a typed error for an unknown time zone', () => {
    expect(() => isOpen({ ...hours, timezone: 'Mars/Olympus' }, wednesday1030)).toThrow(FrontDeskError);
  });
});

describe('deskAnswer', () => {
  const schedule = '营业时间：周一至周五 08:00–20:00。周末需要提前预约。';

  it.each(['现在开门吗？', '几点关门', '营业时间是什么', '你们周末开吗', '请问大厦几点开门？'])(
    'answers "%s" while open with how long it stays open',
    (text) =>
      expect(deskAnswer(text, flow, wednesday1030, 'zh-CN')).toBe(`我们现在正在营业，今天开到20:00。${schedule}`),
  );

  it('says when it opens next while closed: tomorrow, or after the weekend', () => {
    expect(deskAnswer('现在开门吗', flow, wednesday2130, 'zh-CN')).toBe(
      `我们现在不在营业时间，下次开门是明天（周四）08:00。${schedule}`,
    );
    expect(deskAnswer('周末开吗', flow, saturdayNoon, 'zh-CN')).toBe(
      `我们现在不在营业时间，下次开门是周一08:00。${schedule}`,
    );
    expect(deskAnswer('are you open now?', flow, wednesday0700, 'en')).toBe(
      'We are closed now; we open again today at 08:00. Opening hours: Mon–Fri 08:00–20:00. 周末需要提前预约。',
    );
  });

  it.each(['地址是多少', '你们在哪里？', '怎么走', '智源大厦在哪', '坐地铁怎么过来？', 'What is your address?'])(
    'answers "%s" with the location',
    (text) =>
      expect(deskAnswer(text, flow, wednesday1030, 'zh-CN')).toBe('我们的地址是北京市海淀区成府路150号 智源大厦。'),
  );

  it('answers both when asked both', () => {
    expect(deskAnswer('你们在哪里，几点开门？', flow, wednesday1030, 'zh-CN')).toBe(
      `我们现在正在营业，今天开到20:00。${schedule}我们的地址是北京市海淀区成府路150号 智源大厦。`,
    );
  });

  it.each(['食堂几点开门？', '会议室在哪里', '附近有地铁站吗', '我要登记', 'Where is the cafeteria?', '你好'])(
    'leaves "%s" to the knowledge base',
    (text) => expect(deskAnswer(text, flow, wednesday1030, 'zh-CN')).toBeUndefined(),
  );

  it('leaves hours and location questions alone when the flow does not say them', () => {
    const bare = flowSchema.parse({ phases: [{ id: 'desk', kind: 'chat' }] });
    expect(deskAnswer('现在开门吗', bare, wednesday1030, 'zh-CN')).toBeUndefined();
    expect(deskAnswer('地址是多少', bare, wednesday1030, 'zh-CN')).toBeUndefined();
  });
});

describe('deskReply', () => {
  it('says a desk answer asked again as a repetition, and remembers the last one in the phase data', () => {
    const context = { flow, now: wednesday1030, locale: 'zh-CN' };
    const first = deskReply('地址是多少', {}, context)!;
    expect(first.line).toBe('我们的地址是北京市海淀区成府路150号 智源大厦。');
    const second = deskReply('怎么走？', first.data, context)!;
    expect(second.line).toBe('再跟您说一遍：我们的地址是北京市海淀区成府路150号 智源大厦。');
    expect(deskReply('几点开门', second.data, context)!.line).toMatch(/^我们现在正在营业/);
    expect(deskReply('停车场在哪', {}, context)).toBeUndefined();
  });

  it('does not double the full stop of a location written with one', () => {
    const dotted = flowSchema.parse({ phases: [{ id: 'desk', kind: 'chat' }], location: '成府路150号。' });
    expect(deskAnswer('地址', dotted, wednesday1030, 'zh-CN')).toBe('我们的地址是成府路150号。');
  });
});
