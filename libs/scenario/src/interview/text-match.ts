/**
 * How the interview matches words in a candidate's answer: follow-up keywords (`when`) and the
 * points a criterion looks for. Text is compared normalized (NFKC, lower case, without spaces and
 * punctuation), so "Redis" matches "redis" and "Ｒｅｄｉｓ"; a point may list synonyms separated by
 * `/` or `|` ("缓存/cache"), any of which covers it.
 */

/** NFKC, lower case, letters and digits only (CJK characters are letters). */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A point's alternatives, normalized; empty ones dropped. */
export function synonyms(point: string): string[] {
  return point
    .normalize('NFKC')
    .split(/[/|]/)
    .map(normalizeText)
    .filter((s) => s.length > 0);
}

/** Whether `text` mentions `point` (or one of its synonyms). */
export function mentions(text: string, point: string): boolean {
  const haystack = normalizeText(text);
  return synonyms(point).some((s) => haystack.includes(s));
}

/** How long an answer is, counting letters and digits only. */
export function contentLength(text: string): number {
  return [...normalizeText(text)].length;
}

/** The sentences of a text, split after Chinese and Western sentence ends and line breaks. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[。！？!?；;\n])|(?<=\.)\s+/u)
    .map((s) => s.trim())
    .filter((s) => normalizeText(s).length > 0);
}
