const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Characters that may make up a number written in Chinese (for building patterns). */
export const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千';

/**
 * The value of Arabic digits or a Chinese numeral below ten thousand ("十二" 12, "二十三" 23,
 * "一百零五" 105, "两" 2); undefined for anything else.
 */
export function parseNumeral(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!text || [...text].some((ch) => DIGITS[ch] === undefined && UNITS[ch] === undefined)) return undefined;
  let total = 0;
  let current: number | undefined;
  for (const ch of text) {
    const unit = UNITS[ch];
    if (unit === undefined) {
      current = DIGITS[ch];
      continue;
    }
    total += (current ?? 1) * unit;
    current = undefined;
  }
  return total + (current ?? 0);
}
