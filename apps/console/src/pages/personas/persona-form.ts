import type { Persona } from '@zhibing/protocol';

/** Persona fields the form does not edit (voice, seed knowledge, a card's fields): saved as they came. */
const KEPT_FIELDS = [
  'voice',
  'seedKnowledge',
  'systemPrompt',
  'alternateGreetings',
  'creatorNotes',
  'tags',
  'lorebook',
] as const;
type KeptField = (typeof KEPT_FIELDS)[number];

/** The editor's state: text as typed (numbers included), turned into a persona only to validate and save. */
export interface PersonaForm {
  id: string;
  name: string;
  locale: string;
  scenario: string;
  profile: string;
  style: string;
  greeting: string;
  fallback: string;
  knowledgeBases: string;
  examples: { user: string; persona: string }[];
  generation: { maxTokens: string; temperature: string; topK: string; topP: string; repetitionPenalty: string };
  grounding: { emotion: string; setting: string; postResponse: string };
  /** Parts the form does not edit, carried through a save unchanged. */
  kept: Partial<Pick<Persona, KeptField>>;
}

/** Every field the form shows, as schema paths (for placing issues beside them). */
export const FORM_FIELDS = [
  'id',
  'name',
  'locale',
  'scenario',
  'profile',
  'style',
  'greeting',
  'fallback',
  'knowledgeBases',
  'examples',
  'generation',
  'grounding',
];

export function emptyForm(): PersonaForm {
  return {
    id: '',
    name: '',
    locale: 'zh-CN',
    scenario: 'chat',
    profile: '',
    style: '',
    greeting: '',
    fallback: '',
    knowledgeBases: '',
    examples: [],
    generation: { maxTokens: '128', temperature: '0.8', topK: '40', topP: '0.9', repetitionPenalty: '1.1' },
    grounding: { emotion: '', setting: '', postResponse: '' },
    kept: {},
  };
}

export function formFromPersona(persona: Persona): PersonaForm {
  const g = persona.generation;
  return {
    id: persona.id,
    name: persona.name,
    locale: persona.locale,
    scenario: persona.scenario,
    profile: persona.profile,
    style: persona.style,
    greeting: persona.greeting,
    fallback: persona.fallback.join('\n'),
    knowledgeBases: persona.knowledgeBases.join(', '),
    examples: persona.examples.map((e) => ({ ...e })),
    generation: {
      maxTokens: String(g.maxTokens),
      temperature: String(g.temperature),
      topK: String(g.topK),
      topP: String(g.topP),
      repetitionPenalty: String(g.repetitionPenalty),
    },
    grounding: {
      emotion: persona.grounding?.emotion ?? '',
      setting: persona.grounding?.setting ?? '',
      postResponse: persona.grounding?.postResponse ?? '',
    },
    kept: Object.fromEntries(KEPT_FIELDS.filter((k) => persona[k] !== undefined).map((k) => [k, persona[k]])),
  };
}

/** A typed number, or the text itself so the schema reports "expected number" beside the field. */
function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/** The request body: exactly what the API validates with the same schema. */
export function personaInputFromForm(form: PersonaForm): Record<string, unknown> {
  const lines = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  const grounding = Object.fromEntries(Object.entries(form.grounding).filter(([, v]) => v.trim() !== ''));
  const fallback = lines(form.fallback);
  return {
    id: form.id.trim(),
    name: form.name,
    locale: form.locale.trim(),
    scenario: form.scenario,
    profile: form.profile,
    style: form.style,
    greeting: form.greeting,
    ...(fallback.length > 0 ? { fallback } : {}),
    knowledgeBases: form.knowledgeBases
      .split(/[,，\n]/)
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    examples: form.examples,
    generation: Object.fromEntries(
      Object.entries(form.generation)
        .map(([k, v]) => [k, numberOrText(v)])
        .filter(([, v]) => v !== undefined),
    ),
    ...(Object.keys(grounding).length > 0 ? { grounding } : {}),
    ...Object.fromEntries(Object.entries(form.kept).filter(([, v]) => v !== undefined)),
  };
}
