import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { browserLanguage, type Language, type MessageKey, translate } from './dictionary';

const STORAGE_KEY = 'zhibing.console.lang';

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A timestamp (ISO) as a date and time in the console's language. */
  time(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

/** Field errors come from the shared zod schemas: zod's own locale words them in the console's language. */
function applyZodLocale(language: Language): void {
  z.config(language === 'zh' ? z.locales.zhCN() : z.locales.en());
}

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  const language =
    stored === 'en' || stored === 'zh' ? stored : browserLanguage(navigator.languages ?? [navigator.language]);
  applyZodLocale(language);
  return language;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    applyZodLocale(next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      t: (key, vars) => translate(language, key, vars),
      time: (iso) => new Date(iso).toLocaleString(language === 'zh' ? 'zh-CN' : 'en'),
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
