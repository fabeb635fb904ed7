import { pickLang } from './config';

describe('the widget language', () => {
  it.each([
    ['en', 'zh-CN', 'en'],
    ['zh', 'en-US', 'zh'],
    [null, 'en-GB', 'en'],
    [null, 'zh-TW', 'zh'],
    // Neither Chinese nor English: Chinese, the platform's first language.
    [null, 'fr-FR', 'zh'],
    ['EN', '', 'en'],
  ])('data-lang %s with browser %s is %s', (attribute, browser, expected) => {
    expect(pickLang(attribute, browser)).toBe(expected);
  });
});
