import { CHINESE_NUMERAL_CHARS, parseNumeral } from './chinese-numerals';
import { type SlotClock, type SlotMatch, matched, refused } from './slot-match';
import { addDays, clockTime, isCalendarDate, isoDate, wallClock } from './wall-clock';

const N = `(?:\\d{1,2}|[${CHINESE_NUMERAL_CHARS}]{1,3})`;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const ZH_DAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };

const FULL_DATE = /(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*[日号]?/;
const MONTH_DAY_ZH = new RegExp(`(?<!\\d)(${N})\\s*月\\s*(${N})\\s*[日号]`);
const MONTH_DAY_EN = new RegExp(`\\b(${MONTHS.join('|')})[a-z]*\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'i');
const DAY_MONTH_EN = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTHS.join('|')})[a-z]*\\b`, 'i');
const WEEKDAY_ZH = /(下下|下个?|本|这个?)?\s*(?:周|星期|礼拜)([一二三四五六日天])/;
const WEEKDAY_EN = new RegExp(`\\b(?:(next|this)\\s+)?(${EN_DAYS.join('|')})\\b`, 'i');
const DAY_WORD = /(大后天|后天|明天|今天|明日|今日)|\b(today|tomorrow|(?:the\s+)?day\s+after\s+tomorrow)\b/i;
const DAY_OFFSETS: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 };

/**
 * Finds a date in free text ("明天", "下周一", "12月3日", "2026-12-03", "next Monday", "Dec 3") and
 * resolves it to YYYY-MM-DD against the wall clock of `clock.timezone` (a month and day without a
 * year is the next such day). A date that does not exist ("2月30日") is found as invalid.
 */
export function findDate(text: string, clock: SlotClock): SlotMatch | undefined {
  const today = wallClock(clock.now, clock.timezone);
  let m = FULL_DATE.exec(text);
  if (m) return calendar(m, Number(m[1]), Number(m[2]), Number(m[3]));
  m = MONTH_DAY_ZH.exec(text);
  if (m) return monthDay(m, parseNumeral(m[1]), parseNumeral(m[2]), today);
  m = MONTH_DAY_EN.exec(text);
  if (m) return monthDay(m, MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1, Number(m[2]), today);
  m = DAY_MONTH_EN.exec(text);
  if (m) return monthDay(m, MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1, Number(m[1]), today);
  m = DAY_WORD.exec(text);
  if (m) {
    const offset = m[1] ? DAY_OFFSETS[m[1]] : /today/i.test(m[2]) ? 0 : /after/i.test(m[2]) ? 2 : 1;
    return matched(m, isoDate(addDays(today, offset)));
  }
  m = WEEKDAY_ZH.exec(text);
  if (m) {
    const target = ZH_DAYS[m[2]];
    const weeks = m[1]?.startsWith('下下') ? 2 : m[1]?.startsWith('下') ? 1 : 0;
    // "下周三" is Wednesday of next week; "周三"/"本周三" is this week's, or the coming one once it has passed.
    const offset = weeks
      ? 7 * weeks - today.weekday + target
      : m[1]
        ? target - today.weekday
        : (target - today.weekday + 7) % 7;
    return matched(m, isoDate(addDays(today, offset)));
  }
  m = WEEKDAY_EN.exec(text);
  if (m) {
    const target = EN_DAYS.indexOf(m[2].toLowerCase()) + 1;
    // English "next Monday" usually means the coming one; "Monday" is today when today is Monday.
    const ahead = (target - today.weekday + 7) % 7;
    return matched(m, isoDate(addDays(today, m[1]?.toLowerCase() === 'next' && ahead === 0 ? 7 : ahead)));
  }
  return undefined;
}

function calendar(m: RegExpExecArray, year: number, month: number, day: number): SlotMatch {
  return isCalendarDate(year, month, day) ? matched(m, isoDate({ year, month, day })) : refused(m);
}

function monthDay(
  m: RegExpExecArray,
  month: number | undefined,
  day: number | undefined,
  today: { year: number; month: number; day: number },
): SlotMatch {
  if (month === undefined || day === undefined) return refused(m);
  const passed = month < today.month || (month === today.month && day < today.day);
  const year = passed ? today.year + 1 : today.year;
  return calendar(m, year, month, day);
}

const CLOCK = /(?<!\d)(\d{1,2})\s*[:：]\s*(\d{2})(?!\d)(?:\s*([ap])\.?m\.?\b)?/i;
const HOUR_EN = /(?<!\d)(\d{1,2})\s*([ap])\.?m\.?(?![a-z])/i;
const NOON_EN = /\b(noon|midday|midnight)\b/i;
const PERIOD = '凌晨|早上|早晨|上午|中午|午后|下午|傍晚|晚上|夜里';
const HOUR_ZH = new RegExp(
  `(${PERIOD})?\\s*(${N})\\s*(?:点钟?|时)(?:\\s*(半|一刻|三刻|(${N})\\s*分?))?(?:\\s*(${PERIOD}))?`,
);

/**
 * Finds a time of day ("下午三点", "3点半", "15:00", "3:30 pm", "noon") as HH:MM. Without a word
 * for the half of the day, 1 to 6 o'clock means the afternoon (nobody visits a front desk at 3 a.m.).
 * A time that does not exist ("25点", "10:75") is found as invalid.
 */
export function findTime(text: string): SlotMatch | undefined {
  let m = CLOCK.exec(text);
  if (m) return dayTime(m, Number(m[1]), Number(m[2]), m[3] ? `${m[3].toLowerCase()}m` : undefined);
  m = HOUR_EN.exec(text);
  if (m) return dayTime(m, Number(m[1]), 0, `${m[2].toLowerCase()}m`);
  m = NOON_EN.exec(text);
  if (m) return matched(m, /midnight/i.test(m[1]) ? '00:00' : '12:00');
  m = HOUR_ZH.exec(text);
  if (m) {
    const hour = parseNumeral(m[2]);
    const minute = !m[3] ? 0 : m[3] === '半' ? 30 : m[3] === '一刻' ? 15 : m[3] === '三刻' ? 45 : parseNumeral(m[4]);
    if (hour === undefined || minute === undefined) return refused(m);
    return dayTime(m, hour, minute, m[1] ?? m[5]);
  }
  return undefined;
}

function dayTime(m: RegExpExecArray, hour: number, minute: number, period: string | undefined): SlotMatch {
  if (hour > 23 || minute > 59) return refused(m);
  let h = hour;
  if (period === 'am' && h === 12) h = 0;
  else if (period === 'pm' || /下午|午后|傍晚|晚上|夜里/.test(period ?? '')) h = h < 12 ? h + 12 : h;
  else if (period === '中午') h = h < 11 ? h + 12 : h;
  else if (period === undefined && h >= 1 && h <= 6) h += 12;
  return matched(m, clockTime(h, minute));
}
