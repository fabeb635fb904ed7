import { z } from 'zod';
import { ValidationError } from './errors';
import { unstorableText, validate } from './validate';

describe('validate', () => {
  const schema = z.object({ name: z.string(), tags: z.array(z.string()).default([]) });

  it('returns the parsed input when every field is good', () => {
    expect(validate(schema, { name: '华智冰' })).toEqual({ name: '华智冰', tags: [] });
  });

  it("refuses text that cannot be stored, naming where it is, beside the schema's own issues", () => {
    expect(unstorableText({ name: 'a\u0000b', tags: ['ok', 'x\ud800'] })).toEqual([
      { path: 'name', message: 'contains U+0000 (NUL), which cannot be stored' },
      { path: 'tags.1', message: 'is not well-formed Unicode (a lone surrogate)' },
    ]);
    let error: unknown;
    try {
      validate(schema, { name: 'a\u0000b', tags: [3] }, 'persona_invalid');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'persona_invalid', issues: [{ path: 'name' }, { path: 'tags.0' }] });
  });
});
