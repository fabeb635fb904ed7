import { personaSchema, ValidationError, validate } from '@zhibing/protocol';
import { emptyForm, formFromPersona, personaInputFromForm } from './persona-form';

const persona = personaSchema.parse({
  id: 'xiao-lin',
  name: '小林',
  profile: '清华大学的学生。',
  greeting: '你好！',
  fallback: ['不知道呢。', '换个话题吧？'],
  knowledgeBases: ['hua-zhibing', 'sports'],
  examples: [{ user: '你好', persona: '你好呀' }],
  grounding: { emotion: '开心' },
  voice: { openers: ['嗯，'] },
  seedKnowledge: { qa: [{ question: '你是谁？', answer: '我是小林。' }] },
  systemPrompt: '你扮演{{char}}。',
  alternateGreetings: ['又见面了，{{user}}！'],
  creatorNotes: 'notes',
  tags: ['学生'],
  lorebook: [{ keys: ['清华', '清华大学'], content: '{{char}}的学校。' }],
});

describe('persona form', () => {
  it('turns a stored persona into the form and back without losing anything', () => {
    expect(personaSchema.parse(personaInputFromForm(formFromPersona(persona)))).toEqual(persona);
  });

  it('reports bad fields with the paths the form shows them at', () => {
    const form = { ...emptyForm(), id: 'Xiao Lin', name: '小林', profile: 'p' };
    form.generation = { ...form.generation, temperature: 'hot', topK: '' };
    let error: unknown;
    try {
      validate(personaSchema, personaInputFromForm(form), 'persona_invalid');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path).sort();
    // An emptied number falls back to its default; text where a number belongs is an error at that field.
    expect(paths).toEqual(['generation.temperature', 'greeting', 'id']);
  });
});
