import { FrontDeskError } from './front-desk.errors';

/** A calendar date and time of day as a clock on the wall of a time zone shows it. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  /** 1 (Monday) to 7 (Sunday), as in the opening hours. */
  weekday: number;
  hour: number;
  minute: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        weekday: 'short',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch (error) {
      throw new FrontDeskError('hours_timezone_invalid', `Unknown time zone "${timezone}"`, { timezone, error });
    }
    formats.set(timezone, format);
  }
  return format;
}

/** What the wall clock in `timezone` shows at the instant `now`. */
export function wallClock(now: Date, timezone: string): WallClock {
  const parts = Object.fromEntries(
    formatFor(timezone)
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday],
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The calendar date `days` after year-month-day (negative: before), as { year, month, day, weekday }. */
export function addDays(date: { year: number; month: number; day: number }, days: number) {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay() === 0 ? 7 : shifted.getUTCDay(),
  };
}

/** True when year-month-day names a real calendar day (not 2月30日). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD. */
export const isoDate = (d: { year: number; month: number; day: number }) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

/** HH:MM. */
export const clockTime = (hour: number, minute: number) => `${pad(hour)}:${pad(minute)}`;
