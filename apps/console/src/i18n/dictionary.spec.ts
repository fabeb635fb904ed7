import { browserLanguage, dictionaries, translate } from './dictionary';

describe('console dictionary', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has every text in both languages, with the same placeholders', () => {
    expect(Object.keys(dictionaries.zh).sort()).toEqual(Object.keys(dictionaries.en).sort());
    for (const [key, text] of Object.entries(dictionaries.en)) {
      const zh = dictionaries.zh[key as keyof typeof dictionaries.en];
      expect({ key, empty: zh.trim() === '' || text.trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(zh) }).toEqual({ key, placeholders: placeholders(text) });
    }
  });

  it('fills placeholders and picks the language from the browser', () => {
    expect(translate('zh', 'editor.saved', { version: 3 })).toBe('已保存为第 3 版。');
    expect(translate('en', 'editor.saved', { version: 3 })).toBe('Saved as version 3.');
    expect(browserLanguage(['zh-CN', 'en'])).toBe('zh');
    expect(browserLanguage(['en-GB', 'zh-CN'])).toBe('en');
    expect(browserLanguage(['fr-FR', 'zh-TW'])).toBe('zh');
    expect(browserLanguage(['fr-FR'])).toBe('en');
  });
});
