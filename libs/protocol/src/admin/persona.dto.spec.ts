import { ValidationError } from '../errors';
import { validate } from '../validate';
import { defaultFallback, personaSchema } from './persona.dto';

const base = { id: 'guide', name: 'Guide', profile: 'A museum guide.', greeting: 'Hello!' };

describe('personaSchema fallback default', () => {
  it('gives an English line to an en… persona and a Chinese one otherwise', () => {
    expect(personaSchema.parse({ ...base, locale: 'en' }).fallback).toEqual(defaultFallback('en'));
    expect(personaSchema.parse({ ...base, locale: 'en-GB' }).fallback[0]).toMatch(/^I'm not sure/);
    expect(personaSchema.parse(base).fallback).toEqual(['这个我还不太清楚，我们聊点别的吧？']);
    expect(personaSchema.parse({ ...base, locale: 'zh-TW' }).fallback).toEqual(defaultFallback('zh-CN'));
  });

  it('keeps a fallback that is given, in its place among the keys', () => {
    const persona = personaSchema.parse({ ...base, locale: 'en', fallback: ['No idea!'], examples: [] });
    expect(persona.fallback).toEqual(['No idea!']);
    const keys = Object.keys(persona);
    expect(keys.indexOf('fallback')).toBeLessThan(keys.indexOf('examples'));
  });

  it('still reports field errors by path (the console shows them beside the field)', () => {
    let caught: unknown;
    try {
      validate(personaSchema, { ...base, locale: 'english', fallback: [] }, 'persona_invalid');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.path).sort()).toEqual(['fallback', 'locale']);
  });
});
