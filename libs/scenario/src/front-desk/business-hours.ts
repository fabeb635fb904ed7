import type { BusinessHours, Flow } from '@zhibing/protocol';
import { dayName, frontDeskTexts } from './front-desk-texts';
import { addDays, clockTime, isoDate, wallClock } from './wall-clock';

const nowTime = (hours: BusinessHours, now: Date) => {
  const wall = wallClock(now, hours.timezone);
  return { wall, time: clockTime(wall.hour, wall.minute) };
};

/** The opening interval the desk is in at `now` (wall clock of `hours.timezone`), if any. */
function currentInterval(hours: BusinessHours, now: Date) {
  const { wall, time } = nowTime(hours, now);
  return hours.open.find((r) => r.days.includes(wall.weekday) && r.from <= time && time < r.to);
}

/** True when the desk is open at `now`, read on the wall clock of `hours.timezone`. */
export function isOpen(hours: BusinessHours, now: Date): boolean {
  return currentInterval(hours, now) !== undefined;
}

/** When the desk opens next after `now`: the date, weekday (1 Monday … 7 Sunday), time, days from today. */
export function nextOpening(
  hours: BusinessHours,
  now: Date,
): { date: string; weekday: number; time: string; inDays: number } | undefined {
  const { wall, time } = nowTime(hours, now);
  for (let inDays = 0; inDays <= 7; inDays++) {
    const day = addDays(wall, inDays);
    const starts = hours.open
      .filter((r) => r.days.includes(day.weekday) && (inDays > 0 || r.from > time))
      .map((r) => r.from)
      .sort();
    if (starts[0]) return { date: isoDate(day), weekday: day.weekday, time: starts[0], inDays };
  }
  return undefined;
}

/** The opening hours in words ("周一至周五 08:00–20:00"), days grouped into runs, then the note. */
export function describeHours(hours: BusinessHours, locale: string): string {
  const texts = frontDeskTexts(locale);
  const t = texts.hours;
  const lines = hours.open.flatMap((rule) => {
    const days = [...new Set(rule.days)].sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const day of days) {
      const last = runs[runs.length - 1];
      if (last && last[1] === day - 1) last[1] = day;
      else runs.push([day, day]);
    }
    return runs.map(([from, to]) => `${t.dayRange(from, to)} ${rule.from}–${rule.to}`);
  });
  return [t.schedule(lines), hours.note].filter(Boolean).join(texts.sentenceGap);
}

const HOURS_QUESTION =
  /开门|关门|营业|开放|几点开|几点关|上班|下班|周末|星期[六日天]|周[六日天]|礼拜[六日天]|还开|开着|\b(?:open|close[sd]?|hours|weekends?)\b/i;
const LOCATION_QUESTION =
  /地址|在哪|哪里|怎么走|怎么去|怎么到|怎么过来|怎么来|位置|\b(?:address|where|directions|located|location)\b/i;
// What a question about the desk itself is made of; anything left names something else ("食堂几点开门").
const DESK_WORDS_ZH =
  /请问|你好|您好|麻烦|问一下|想问|我想知道|现在|今天|明天|周末|星期[六日天]|周[六日天]|礼拜[六日天]|你们|贵司|公司|大厦|大楼|这里|这儿|营业时间|开放时间|营业|开放|开门|关门|开着|上班|下班|时间|几点|地址|在哪里|在哪儿|在哪|哪里|怎么走|怎么去|怎么到|怎么过来|怎么来|[坐乘搭]?(?:地铁|公交|出租车?)|开车|打车|具体|位置|是多少|多少|什么|还|是|的|吗|呢|吧|啊|呀|了|有|开|关|这|那|在/g;
const DESK_WORDS_EN =
  /\b(?:what(?:'s)?|whats|are|is|your|you|the|when|do|does|open|opens|opening|close|closes|closed|closing|hours|time|times|today|now|on|at|weekends?|where|address|located|location|how|get|there|to|i|can|please|building|office|directions|find|tell|me|us)\b/gi;

function asksAboutDesk(text: string, location: string | undefined): boolean {
  const left = text
    .replace(DESK_WORDS_ZH, '')
    .replace(DESK_WORDS_EN, '')
    .replace(/[\s\p{P}\p{S}]/gu, '');
  return left.length <= 1 || (location !== undefined && location.includes(left));
}

/**
 * The desk's own answer to "现在开门吗 / 几点关门 / 营业时间 / 周末开吗" (from `flow.hours`) and
 * "地址 / 在哪里 / 怎么走" (from `flow.location`), in the persona's locale; undefined when the text
 * asks neither, asks about something else ("食堂几点开门" is the knowledge base's), or the flow
 * does not say.
 */
export function deskAnswer(text: string, flow: Flow, now: Date, locale: string): string | undefined {
  const texts = frontDeskTexts(locale);
  const t = texts.hours;
  const asksHours = flow.hours !== undefined && HOURS_QUESTION.test(text);
  const asksLocation = flow.location !== undefined && LOCATION_QUESTION.test(text);
  if (!(asksHours || asksLocation) || !asksAboutDesk(text, flow.location)) return undefined;
  const lines: string[] = [];
  if (asksHours && flow.hours) lines.push(hoursLine(flow.hours, now, locale));
  if (asksLocation && flow.location) lines.push(t.location(flow.location));
  return lines.join(texts.sentenceGap);
}

function hoursLine(hours: BusinessHours, now: Date, locale: string): string {
  const texts = frontDeskTexts(locale);
  const t = texts.hours;
  const open = currentInterval(hours, now);
  const next = nextOpening(hours, now);
  const state = open
    ? t.openNow(open.to)
    : next
      ? t.closedNow(t.next(next.inDays, dayName(locale, next.weekday), next.time))
      : undefined;
  return [state, describeHours(hours, locale)].filter(Boolean).join(texts.sentenceGap);
}

/**
 * What a chat phase says instead of answering from the knowledge base when `text` asks the desk's
 * hours or address: the desk answer, said as a repetition when the same line was said before (the
 * phase's data remembers the last one). Undefined when `deskAnswer` has nothing.
 */
export function deskReply(
  text: string,
  data: Record<string, unknown>,
  context: { flow: Flow; now: Date; locale: string },
): { data: Record<string, unknown>; line: string } | undefined {
  const line = deskAnswer(text, context.flow, context.now, context.locale);
  if (!line) return undefined;
  const said = line === data.deskSaid ? `${frontDeskTexts(context.locale).hours.again}${line}` : line;
  return { data: { ...data, deskSaid: line }, line: said };
}
