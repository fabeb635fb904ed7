import type { SlotSpec } from '@zhibing/protocol';

/** What the front desk says when the persona's flow does not say it itself, in one language. */
export interface FrontDeskTexts {
  invalid: Record<SlotSpec['type'], string>;
  confirm: string;
  registered: string;
  /** Said when the visitor leaves a registration (the `cancel` intent) or stops waiting for a person. */
  registrationCancelled: string;
  handoffCancelled: string;
  whichToChange: (labels: string[]) => string;
  yes: string;
  change: string;
  summaryLine: (label: string, value: string) => string;
  /** Between two sentences: nothing in Chinese, a space in English. */
  sentenceGap: string;
  handoff: string;
  waiting: string;
  hours: {
    openNow: (until: string) => string;
    closedNow: (next: string) => string;
    schedule: (lines: string[]) => string;
    dayRange: (from: number, to: number) => string;
    /** When the desk opens next: in `days` days (0 today, 1 tomorrow), on `day` at `time`. */
    next: (days: number, day: string, time: string) => string;
    location: (where: string) => string;
    /** Before a desk answer said already in this conversation (a repeat is said as one). */
    again: string;
  };
}

const ZH_DAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const EN_DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const zh: FrontDeskTexts = {
  invalid: {
    name: '没听清您的名字，请直接告诉我您的姓名，比如“张三”。',
    phone: '这个号码好像不对，请提供11位手机号，或带区号的座机号码。',
    email: '这个邮箱地址好像不对，请再确认一下。',
    date: '没能听懂这个日期，可以说“明天”“下周一”或“12月3日”。',
    time: '没能听懂这个时间，可以说“下午三点”或“15:00”。',
    number: '请告诉我一个数字。',
    text: '这个回答好像不对，请再说一遍。',
  },
  confirm: '请确认您的信息：\n{{summary}}\n没问题请回复“确认”，需要修改请回复“修改”。',
  registered: '好的，已经为您登记好了。',
  registrationCancelled: '好的，已取消登记，信息没有保存。还有什么可以帮您？',
  handoffCancelled: '好的，已取消转接。还有什么可以帮您？',
  whichToChange: (labels) => `请问要修改哪一项？（${labels.join('、')}）`,
  yes: '确认',
  change: '修改',
  summaryLine: (label, value) => `${label}：${value}`,
  sentenceGap: '',
  handoff: '好的，正在为您转接工作人员，请稍等。',
  waiting: '工作人员马上就到，请您稍等片刻。',
  hours: {
    openNow: (until) => `我们现在正在营业，今天开到${until}。`,
    closedNow: (next) => `我们现在不在营业时间，下次开门是${next}。`,
    schedule: (lines) => `营业时间：${lines.join('；')}。`,
    dayRange: (from, to) => (from === to ? ZH_DAYS[from] : `${ZH_DAYS[from]}至${ZH_DAYS[to]}`),
    next: (days, day, time) => (days === 0 ? `今天${time}` : days === 1 ? `明天（${day}）${time}` : `${day}${time}`),
    location: (where) => `我们的地址是${where.replace(/[。.]+$/, '')}。`,
    again: '再跟您说一遍：',
  },
};

const en: FrontDeskTexts = {
  invalid: {
    name: 'Sorry, I did not catch your name. Please just tell me your name, e.g. "Ann Lee".',
    phone: 'That number does not look right: please give an 11-digit mobile number or a landline with its area code.',
    email: 'That email address does not look right, please check it.',
    date: 'I did not understand that date: try "tomorrow", "next Monday" or "Dec 3".',
    time: 'I did not understand that time: try "3 pm" or "15:00".',
    number: 'Please tell me a number.',
    text: 'That does not look right, please say it again.',
  },
  confirm: 'Please check your details:\n{{summary}}\nReply "yes" if they are right, or "change" to correct something.',
  registered: 'Thank you, you are registered.',
  registrationCancelled: 'All right, the registration is cancelled and nothing was kept. Anything else?',
  handoffCancelled: 'All right, I have cancelled the request for a member of staff. Anything else?',
  whichToChange: (labels) => `Which one should I change? (${labels.join(', ')})`,
  yes: 'Yes',
  change: 'Change',
  summaryLine: (label, value) => `${label}: ${value}`,
  sentenceGap: ' ',
  handoff: 'Sure, I am connecting you with a member of staff, one moment please.',
  waiting: 'A member of staff will be with you shortly, thank you for waiting.',
  hours: {
    openNow: (until) => `We are open now, until ${until} today.`,
    closedNow: (next) => `We are closed now; we open again ${next}.`,
    schedule: (lines) => `Opening hours: ${lines.join('; ')}.`,
    dayRange: (from, to) => (from === to ? EN_DAYS[from] : `${EN_DAYS[from]}–${EN_DAYS[to]}`),
    next: (days, day, time) =>
      days === 0 ? `today at ${time}` : days === 1 ? `tomorrow (${day}) at ${time}` : `on ${day} at ${time}`,
    location: (where) => `Our address is ${where.replace(/[。.]+$/, '')}.`,
    again: 'As I said: ',
  },
};

/** The texts for a persona's locale: English for `en…`, Chinese otherwise. */
export function frontDeskTexts(locale: string): FrontDeskTexts {
  return locale.toLowerCase().startsWith('en') ? en : zh;
}

/** The day name (1 Monday … 7 Sunday) in the locale. */
export function dayName(locale: string, weekday: number): string {
  return (locale.toLowerCase().startsWith('en') ? EN_DAYS : ZH_DAYS)[weekday];
}
