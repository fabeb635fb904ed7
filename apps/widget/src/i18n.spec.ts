import { errorText, textsFor } from './i18n';

describe('the widget texts', () => {
  const zh = textsFor('zh');
  const en = textsFor('en');

  it('has every text and every error code in both languages', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(zh.errors).sort()).toEqual(Object.keys(en.errors).sort());
    for (const texts of [zh, en])
      for (const [name, value] of Object.entries(texts))
        if (typeof value === 'string') expect(`${name}: ${value.trim()}`).not.toBe(`${name}: `);
  });

  it.each([
    ['auth_unauthorized', '连接密钥无效，无法开始对话', 'The chat key is not valid: the conversation cannot start'],
    ['message_rate_limited', '消息发送过于频繁，请稍后再试', 'Too many messages: try again in a minute'],
    // Codes without their own text fall back to their family (the suffix says what kind of error it is).
    ['slot_phone_invalid', '输入的内容不正确，请检查后再试', 'Something entered is not valid: check it and try again'],
    ['handoff_unavailable', '服务暂时不可用，请稍后再试', 'The service is unavailable: try again later'],
    ['mystery', '出错了（mystery），请稍后再试', 'Something went wrong (mystery): try again later'],
  ])('shows %s in the widget language', (code, chinese, english) => {
    expect(errorText(zh, code)).toBe(chinese);
    expect(errorText(en, code)).toBe(english);
  });
});
