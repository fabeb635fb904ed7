import { en, type MessageKey } from './dictionary-en';
import { zh } from './dictionary-zh';

export type { MessageKey };

export type Language = 'en' | 'zh';
export const dictionaries: Record<Language, Record<MessageKey, string>> = { en, zh };

/** `{name}` placeholders filled from `vars`. */
export function translate(language: Language, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** The browser's preferred language if it is Chinese, else English. */
export function browserLanguage(languages: readonly string[]): Language {
  return languages
    .find((l) => /^(zh|en)\b/i.test(l))
    ?.toLowerCase()
    .startsWith('zh')
    ? 'zh'
    : 'en';
}
