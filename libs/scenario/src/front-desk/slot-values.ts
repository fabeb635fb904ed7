import type { SlotSpec } from '@zhibing/protocol';
import { CHINESE_NUMERAL_CHARS, parseNumeral } from './chinese-numerals';
import { FrontDeskError } from './front-desk.errors';
import { findDate, findTime } from './slot-dates';
import type { SlotClock, SlotMatch } from './slot-match';
import { findName } from './slot-names';

export type { SlotClock, SlotMatch } from './slot-match';

const MOBILE = /(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d){8})(?!\d)/;
const LANDLINE = /(?<!\d)(0\d{2,3})[\s-]?([1-9]\d{6,7})(?!\d)/;
const DIGIT_RUN = /\+?\d[\d\s-]{5,}\d/;
const DATE_LIKE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const NUMBER = new RegExp(`-?\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL_CHARS}]{1,6}`);

/** Words that say which kind of value a message is about ("电话写错了" is about the phone). */
const TYPE_CUES: Record<SlotSpec['type'], RegExp> = {
  name: /名字|姓名|称呼|\bname\b/i,
  phone: /电话|手机|号码|联系方式|phone|mobile|number/i,
  email: /邮箱|邮件|e-?mail/i,
  date: /日期|哪天|哪一天|\bdate\b|\bday\b/i,
  time: /时间|几点|\btime\b/i,
  number: /数量|几个|几位|多少|\bnumber\b|how many/i,
  text: /(?!)/,
};

/** How a value is looked for in a message. */
export interface FindOptions {
  /** The message answers this slot's question: the whole message may be the value. */
  whole: boolean;
  clock: SlotClock;
}

/** True when the message names the slot: its label, or a word for its type ("电话", "email"). */
export function mentionsSlot(slot: SlotSpec, text: string): boolean {
  return text.toLowerCase().includes(slot.label.toLowerCase()) || TYPE_CUES[slot.type].test(text);
}

/**
 * Finds the slot's value in free text and normalizes it: a name ("我叫张三" → 张三), a phone
 * (mobile "139 1234 5678" → 13912345678, landline → 010-12345678), an email, a date (YYYY-MM-DD
 * in the clock's time zone), a time (HH:MM), a number, text. Values that look like the slot's kind
 * but are wrong come back `invalid` when the message answers the slot or names it; otherwise a
 * message without the value gives undefined. `pattern`, when set, must match the value.
 */
export function findSlotValue(slot: SlotSpec, text: string, options: FindOptions): SlotMatch | undefined {
  const strict = options.whole || mentionsSlot(slot, text);
  const found = findByType(slot, text, options, strict);
  if (!found || !('value' in found) || !slot.pattern) return found;
  return patternFor(slot).test(found.value)
    ? found
    : { index: found.index, length: found.length, invalid: found.value };
}

function findByType(slot: SlotSpec, text: string, options: FindOptions, strict: boolean): SlotMatch | undefined {
  switch (slot.type) {
    case 'name':
      return findName(text, options.whole);
    case 'phone':
      return findPhone(text, strict);
    case 'email':
      return firstOr(EMAIL, text, strict && text.includes('@'), (m) => m[0].toLowerCase());
    case 'date':
      return findDate(text, options.clock) ?? wholeRefusal(text, options.whole);
    case 'time':
      return findTime(text) ?? wholeRefusal(text, options.whole);
    case 'number': {
      if (!strict) return undefined;
      const m = NUMBER.exec(text);
      const value = m && (/\d/.test(m[0]) ? Number(m[0]) : parseNumeral(m[0]));
      if (m && value !== undefined) return { index: m.index, length: m[0].length, value: String(value) };
      return wholeRefusal(text, options.whole);
    }
    case 'text':
      return options.whole ? wholeText(text) : labelledText(slot, text);
  }
}

function findPhone(text: string, strict: boolean): SlotMatch | undefined {
  let m = MOBILE.exec(text);
  if (m) return { index: m.index, length: m[0].length, value: m[1].replace(/\D/g, '') };
  m = LANDLINE.exec(text);
  if (m) return { index: m.index, length: m[0].length, value: `${m[1]}-${m[2]}` };
  if (!strict) return undefined;
  m = DIGIT_RUN.exec(text);
  if (m && !DATE_LIKE.test(m[0])) return { index: m.index, length: m[0].length, invalid: m[0] };
  return undefined;
}

function firstOr(
  pattern: RegExp,
  text: string,
  refuse: boolean,
  value: (m: RegExpExecArray) => string,
): SlotMatch | undefined {
  const m = pattern.exec(text);
  if (m) return { index: m.index, length: m[0].length, value: value(m) };
  return refuse ? { index: 0, length: text.length, invalid: text.trim() } : undefined;
}

function wholeRefusal(text: string, whole: boolean): SlotMatch | undefined {
  return whole && text.trim() ? { index: 0, length: text.length, invalid: text.trim() } : undefined;
}

// Lead-ins a visitor puts before an answer ("是李老师", "我找李老师", "我来面试的").
const LEAD_IN = /^(?:就是|是|我要找|我想找|我来找|我找|找|拜访|my answer is|it's|it is)\s*/i;
const TRAILING = /(?:的|哈|呀|啊|吧)?[\s。.!！~～,，;；]*$/;

/**
 * The whole answer as a text value, clause by clause ("我找李老师，电话…" has two): each clause loses
 * its lead-in and trailing particles; with several clauses, one-character leftovers ("来") go.
 */
function wholeText(text: string): SlotMatch | undefined {
  const clauses = text
    .split(/[，,。;；!！\n]|\s{2,}/)
    .map((c) => c.trim().replace(LEAD_IN, '').replace(TRAILING, '').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const kept = clauses.length > 1 ? clauses.filter((c) => c.length > 1) : clauses;
  const value = kept.join('，');
  const start = text.length - text.trimStart().length;
  return value ? { index: start, length: text.trim().length, value: value.slice(0, 300) } : undefined;
}

function labelledText(slot: SlotSpec, text: string): SlotMatch | undefined {
  const label = slot.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${label}\\s*(?:是|为|:|：|is)\\s*([^，,。;；!！?？\\n]+)`, 'i').exec(text);
  const value = m?.[1].trim().replace(TRAILING, '');
  return m && value ? { index: m.index, length: m[0].length, value } : undefined;
}

function patternFor(slot: SlotSpec): RegExp {
  try {
    return new RegExp(slot.pattern!, 'u');
  } catch (error) {
    throw new FrontDeskError('slot_pattern_invalid', `Slot ${slot.name}: pattern is not a regular expression`, {
      slot: slot.name,
      error: String(error),
    });
  }
}

/**
 * Validates a value typed into one field of the widget's form: the same rules as in dialogue, the
 * whole input read as the answer. The normalized value, or undefined when it does not validate.
 */
export function validateSlotValue(slot: SlotSpec, input: string, clock: SlotClock): string | undefined {
  const found = findSlotValue(slot, input, { whole: true, clock });
  return found && 'value' in found ? found.value : undefined;
}
