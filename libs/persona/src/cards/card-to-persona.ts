import { generationSettingsSchema, validate, ValidationError, voiceSchema } from '@zhibing/protocol';
import { z } from 'zod';
import { type Persona, personaSchema } from '../persona.schema';
import { type CardData, cardSpec, characterCardV2Schema, characterCardV3Schema } from './character-card.schema';

/** What Zhibing writes into `extensions.zhibing` so its own fields survive a round trip. */
export const zhibingExtensionSchema = z
  .object({
    id: z.string().optional(),
    locale: z.string().optional(),
    scenario: z.enum(['chat', 'interview', 'front-desk']).optional(),
    knowledgeBases: z.array(z.string()).optional(),
    fallback: z.array(z.string()).optional(),
    generation: generationSettingsSchema.optional(),
    voice: voiceSchema.optional(),
    emotion: z.string().optional(),
    postResponse: z.string().optional(),
  })
  .passthrough();

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
    const user = /\{\{user\}\}:\s*(.+)/i.exec(block)?.[1]?.trim();
    const persona = /\{\{char\}\}:\s*(.+)/i.exec(block)?.[1]?.trim();
    if (user && persona) out.push({ user, persona });
  }
  return out.slice(0, 20);
}

const hasCjk = (text: string) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(text);
const nonEmpty = (list: string[]) => list.map((s) => s.trim()).filter(Boolean);

/** Parses a card object of either spec; bad fields are card_invalid with their paths. */
export function parseCard(input: unknown): CardData {
  const spec = cardSpec(input);
  return spec === 'chara_card_v3'
    ? validate(characterCardV3Schema, input, 'card_invalid').data
    : validate(characterCardV2Schema, input, 'card_invalid').data;
}

/**
 * The persona of a character card (V2 or V3). Texts keep their `{{char}}`/`{{user}}` macros
 * (substituted at chat time); description → profile, personality → style, scenario → grounding
 * setting, first message → greeting; system prompt, alternate greetings, creator notes, tags and
 * the enabled lorebook entries are kept as persona fields. Zhibing's own fields come back from
 * `extensions.zhibing` when the card was exported by Zhibing.
 */
export function personaFromCard(input: unknown, options: { id?: string } = {}): Persona {
  const d = parseCard(input);
  const ext = zhibingExtensionSchema.safeParse(d.extensions.zhibing ?? {});
  const zb: z.infer<typeof zhibingExtensionSchema> = ext.success ? ext.data : {};
  const id = options.id ?? zb.id ?? slug(d.name);
  const zh = zb.locale ? zb.locale.startsWith('zh') : hasCjk(`${d.name}${d.description}${d.first_mes}`);
  // An entry without keys (SillyTavern's always-on "constant" entries) is about the character itself.
  const lorebook = (d.character_book?.entries ?? [])
    .filter((e) => e.enabled && e.content.trim())
    .map((e) => ({
      keys: nonEmpty(e.keys).length > 0 ? nonEmpty(e.keys).slice(0, 20) : [d.name.trim()],
      content: e.content.trim(),
    }));
  const grounding = {
    ...(d.scenario.trim() && { setting: d.scenario.trim() }),
    ...(zb.emotion && { emotion: zb.emotion }),
    ...(zb.postResponse && { postResponse: zb.postResponse }),
  };
  return validateAsCard({
    id,
    name: d.name.trim(),
    locale: zb.locale ?? (zh ? 'zh-CN' : 'en'),
    profile: d.description.trim() || d.name.trim(),
    style: d.personality.trim(),
    greeting: d.first_mes.trim() || (zh ? `你好，我是{{char}}。` : `Hello, I am {{char}}.`),
    ...(zb.fallback
      ? { fallback: zb.fallback }
      : !zh && { fallback: ["I'm not sure about that. Shall we talk about something else?"] }),
    examples: examples(d.mes_example),
    knowledgeBases: zb.knowledgeBases ?? [id],
    ...(zb.generation && { generation: zb.generation }),
    ...(Object.keys(grounding).length > 0 && { grounding }),
    ...(zb.voice && { voice: zb.voice }),
    ...(zb.scenario && { scenario: zb.scenario }),
    ...(d.system_prompt.trim() && { systemPrompt: d.system_prompt.trim() }),
    ...(nonEmpty(d.alternate_greetings).length > 0 && { alternateGreetings: nonEmpty(d.alternate_greetings) }),
    ...(d.creator_notes.trim() && { creatorNotes: d.creator_notes.trim() }),
    ...(nonEmpty(d.tags).length > 0 && { tags: nonEmpty(d.tags) }),
    ...(lorebook.length > 0 && { lorebook }),
  });
}

/** Persona field → the card field it came from, so a card's author sees what to fix in the card. */
const CARD_FIELD: Record<string, string> = {
  id: 'data.extensions.zhibing.id (or ?id=)',
  name: 'data.name',
  profile: 'data.description',
  style: 'data.personality',
  greeting: 'data.first_mes',
  examples: 'data.mes_example',
  'grounding.setting': 'data.scenario',
  systemPrompt: 'data.system_prompt',
  alternateGreetings: 'data.alternate_greetings',
  creatorNotes: 'data.creator_notes',
  tags: 'data.tags',
  lorebook: 'data.character_book.entries',
};

function validateAsCard(input: Record<string, unknown>): Persona {
  try {
    return validate(personaSchema, input, 'card_invalid');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const cardPath = (path: string) => {
      const field = Object.keys(CARD_FIELD).find((f) => path === f || path.startsWith(`${f}.`));
      return field ? `${CARD_FIELD[field]}${path.slice(field.length)}` : `data.extensions.zhibing.${path}`;
    };
    throw new ValidationError(
      error.issues.map((i) => ({ path: cardPath(i.path), message: i.message })),
      'card_invalid',
    );
  }
}
