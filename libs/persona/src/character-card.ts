import { z } from 'zod';
import { validate } from '@zhibing/protocol';
import type { KnowledgeRecord } from '@zhibing/knowledge';
import { type Persona, personaSchema } from './persona.schema';

/** SillyTavern character card V2 (the fields Zhibing reads and writes). */
export const characterCardV2Schema = z.object({
  spec: z.literal('chara_card_v2'),
  spec_version: z.string(),
  data: z
    .object({
      name: z.string().min(1),
      description: z.string().default(''),
      personality: z.string().default(''),
      scenario: z.string().default(''),
      first_mes: z.string().default(''),
      mes_example: z.string().default(''),
      creator_notes: z.string().default(''),
      system_prompt: z.string().default(''),
      post_history_instructions: z.string().default(''),
      alternate_greetings: z.array(z.string()).default([]),
      tags: z.array(z.string()).default([]),
      creator: z.string().default(''),
      character_version: z.string().default(''),
      character_book: z
        .object({
          name: z.string().optional(),
          entries: z
            .array(
              z
                .object({
                  keys: z.array(z.string()).default([]),
                  content: z.string(),
                  enabled: z.boolean().default(true),
                  name: z.string().optional(),
                  comment: z.string().optional(),
                })
                .passthrough(),
            )
            .default([]),
        })
        .passthrough()
        .optional(),
      extensions: z.record(z.string(), z.unknown()).default({}),
    })
    .passthrough(),
});
export type CharacterCardV2 = z.infer<typeof characterCardV2Schema>;

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || `card-${Buffer.from(name).toString('hex').slice(0, 12)}`;

/** Splits SillyTavern's `mes_example` ("<START>\n{{user}}: …\n{{char}}: …") into example exchanges. */
function examples(mesExample: string): Persona['examples'] {
  const out: Persona['examples'] = [];
  for (const block of mesExample.split(/<START>/i)) {
    const user = /\{\{user\}\}:\s*(.+)/.exec(block)?.[1]?.trim();
    const persona = /\{\{char\}\}:\s*(.+)/.exec(block)?.[1]?.trim();
    if (user && persona) out.push({ user, persona });
  }
  return out.slice(0, 20);
}

/**
 * A persona and its knowledge from a character card: description and personality become the
 * profile, the first message the greeting, enabled lorebook entries knowledge items
 * (a description of the entry's first key).
 */
export function personaFromCard(
  input: unknown,
  options: { id?: string; knowledgeBase?: string } = {},
): { persona: Persona; knowledge: KnowledgeRecord[] } {
  const card = validate(characterCardV2Schema, input, 'card_invalid');
  const d = card.data;
  const id = options.id ?? slug(d.name);
  const knowledgeBase = options.knowledgeBase ?? id;
  const persona = validate(
    personaSchema,
    {
      id,
      name: d.name,
      profile:
        [d.description, d.scenario]
          .filter(Boolean)
          .join('\n')
          .replace(/\{\{char\}\}/g, d.name) || d.name,
      style: d.personality.replace(/\{\{char\}\}/g, d.name),
      greeting: d.first_mes.replace(/\{\{char\}\}/g, d.name) || `你好，我是${d.name}。`,
      examples: examples(d.mes_example),
      knowledgeBases: [knowledgeBase],
    },
    'card_invalid',
  );
  const knowledge = (d.character_book?.entries ?? [])
    .filter((e) => e.enabled && e.content.trim())
    .map((e): KnowledgeRecord => ({
      type: 'description',
      entity: (e.keys[0] ?? e.name ?? d.name).trim(),
      text: e.content.trim(),
      source: `card:${d.name}`,
    }));
  return { persona, knowledge };
}

/** A character card of a persona, its description knowledge as the lorebook. */
export function personaToCard(persona: Persona, lore: { entity: string; text: string }[] = []): CharacterCardV2 {
  return {
    spec: 'chara_card_v2',
    spec_version: '2.0',
    data: {
      name: persona.name,
      description: persona.profile,
      personality: persona.style,
      scenario: persona.grounding?.setting ?? '',
      first_mes: persona.greeting,
      mes_example: persona.examples.map((e) => `<START>\n{{user}}: ${e.user}\n{{char}}: ${e.persona}`).join('\n'),
      creator_notes: '',
      system_prompt: '',
      post_history_instructions: persona.grounding?.postResponse ?? '',
      alternate_greetings: [],
      tags: [persona.scenario],
      creator: 'zhibing',
      character_version: '',
      character_book: {
        name: persona.knowledgeBases[0],
        entries: lore.map((l) => ({ keys: [l.entity], content: l.text, enabled: true })),
      },
      extensions: { zhibing: { id: persona.id, locale: persona.locale, generation: persona.generation } },
    },
  };
}
