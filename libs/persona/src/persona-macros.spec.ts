import { personaSchema } from './persona.schema';
import { personaForChat } from './persona-macros';

const persona = personaSchema.parse({
  id: 'guide',
  name: '小导',
  profile: '{{char}}是博物馆的导游，称呼访客为{{user}}。',
  greeting: '{{user}}你好，我是{{char}}。',
  alternateGreetings: ['欢迎回来，{{USER}}！'],
  fallback: ['{{user}}，这个我不知道。'],
});

describe('personaForChat with a visitor name', () => {
  it('puts the visitor’s name wherever {{user}} is written', () => {
    const chat = personaForChat(persona, '王芳');
    expect(chat.greeting).toBe('王芳你好，我是小导。');
    expect(chat.alternateGreetings).toEqual(['欢迎回来，王芳！']);
    expect(chat.fallback).toEqual(['王芳，这个我不知道。']);
    expect(chat.profile).toBe('小导是博物馆的导游，称呼访客为王芳。');
  });

  it('uses the neutral word without a name (or with a blank one)', () => {
    expect(personaForChat(persona).greeting).toBe('你你好，我是小导。');
    expect(personaForChat(persona, '  ').greeting).toBe('你你好，我是小导。');
    expect(personaForChat({ ...persona, locale: 'en' }).fallback).toEqual(['you，这个我不知道。']);
  });

  it('leaves the stored persona as it was', () => {
    personaForChat(persona, '王芳');
    expect(persona.greeting).toBe('{{user}}你好，我是{{char}}。');
  });
});
