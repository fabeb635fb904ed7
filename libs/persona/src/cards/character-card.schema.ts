import { z } from 'zod';
import { PersonaError } from '../persona.errors';

const lorebookEntry = z
  .object({
    keys: z.array(z.string()).default([]),
    content: z.string(),
    enabled: z.boolean().default(true),
    name: z.string().optional(),
    comment: z.string().optional(),
  })
  .passthrough();

/** The `data` of SillyTavern character cards V2 and V3 (the fields Zhibing reads and writes). */
const cardData = z
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
      .object({ name: z.string().optional(), entries: z.array(lorebookEntry).default([]) })
      .passthrough()
      .optional(),
    extensions: z.record(z.string(), z.unknown()).default({}),
  })
  .passthrough();

export const characterCardV2Schema = z.object({
  spec: z.literal('chara_card_v2'),
  spec_version: z.string(),
  data: cardData,
});
export type CharacterCardV2 = z.infer<typeof characterCardV2Schema>;

/** V3 (`chara_card_v3`) adds assets, nickname, group-only greetings and dates to V2's data. */
export const characterCardV3Schema = z.object({
  spec: z.literal('chara_card_v3'),
  spec_version: z.string(),
  data: cardData.extend({
    group_only_greetings: z.array(z.string()).default([]),
    nickname: z.string().optional(),
    assets: z.array(z.object({ type: z.string(), uri: z.string(), name: z.string(), ext: z.string() })).optional(),
  }),
});
export type CharacterCardV3 = z.infer<typeof characterCardV3Schema>;
export type CharacterCard = CharacterCardV2 | CharacterCardV3;
export type CardData = CharacterCard['data'];

/** Which spec a card claims; anything else (V1 cards have no `spec`) is card_spec_invalid. */
export function cardSpec(input: unknown): 'chara_card_v2' | 'chara_card_v3' {
  const spec = input && typeof input === 'object' ? (input as { spec?: unknown }).spec : undefined;
  if (spec === 'chara_card_v2' || spec === 'chara_card_v3') return spec;
  throw new PersonaError(
    'card_spec_invalid',
    `Unknown card spec ${JSON.stringify(spec ?? null)}: expected "chara_card_v2" or "chara_card_v3"`,
  );
}
