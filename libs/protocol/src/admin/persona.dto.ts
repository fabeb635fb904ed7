import { z } from 'zod';
import { flowSchema } from './scenario.dto';

const line = (max: number) => z.string().trim().min(1).max(max);

export const generationSettingsSchema = z
  .object({
    maxTokens: z.number().int().min(1).max(4096).default(128),
    temperature: z.number().min(0).max(2).default(0.8),
    topK: z.number().int().min(0).max(1000).default(40),
    topP: z.number().min(0).max(1).default(0.9),
    repetitionPenalty: z.number().min(0.5).max(2).default(1.1),
  })
  .strict();

/** Seed knowledge shipped with a persona, imported into its first knowledge base. */
export const seedKnowledgeSchema = z
  .object({
    qa: z.array(z.object({ question: line(2000), answer: line(8000) }).strict()).default([]),
    descriptions: z.array(z.object({ entity: line(200), text: line(20000) }).strict()).default([]),
    triples: z.array(z.object({ head: line(200), relation: line(100), tail: line(8000) }).strict()).default([]),
  })
  .strict();

/**
 * How the persona talks when no generative model writes its replies (the retrieval responder):
 * short lead-ins before an answer, remarks or questions after it that keep the conversation going,
 * and lead-ins for answering a question the user asks again. Optional: sensible defaults apply.
 */
export const voiceSchema = z
  .object({
    openers: z.array(line(200)).max(20).default([]),
    followUps: z.array(line(300)).max(20).default([]),
    again: z.array(line(200)).max(20).default([]),
  })
  .strict();

/**
 * A persona: who speaks, how, from what knowledge, with which generation settings. `grounding`
 * is XDAI's personalization: an emotion or a character setting expressed as a grounded
 * post-response that follows the [MASK] in GLM prompts.
 */
export const personaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
    name: line(120),
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a locale like zh-CN')
      .default('zh-CN'),
    profile: line(4000),
    style: z.string().max(2000).default(''),
    greeting: line(1000),
    /** Omitted: one line in the persona's language (see defaultFallback). */
    fallback: z.array(line(1000)).min(1).optional(),
    examples: z
      .array(z.object({ user: line(1000), persona: line(2000) }).strict())
      .max(20)
      .default([]),
    knowledgeBases: z.array(line(120)).default([]),
    generation: generationSettingsSchema.default(generationSettingsSchema.parse({})),
    grounding: z
      .object({
        emotion: z.string().max(100).optional(),
        setting: z.string().max(2000).optional(),
        postResponse: z.string().max(1000).optional(),
      })
      .strict()
      .optional(),
    voice: voiceSchema.optional(),
    scenario: z.enum(['chat', 'interview', 'front-desk']).default('chat'),
    /** The scenario's state machine; omitted, the preset for `scenario` applies (libs/scenario). */
    flow: flowSchema.optional(),
    seedKnowledge: seedKnowledgeSchema.optional(),
    /** Card fields (SillyTavern): kept as written, `{{char}}`/`{{user}}` substituted at chat time. */
    systemPrompt: z.string().max(8000).optional(),
    alternateGreetings: z.array(line(1000)).max(20).optional(),
    creatorNotes: z.string().max(8000).optional(),
    tags: z.array(line(60)).max(50).optional(),
    /** Lorebook entries: imported as descriptions of their first key, the other keys its aliases. */
    lorebook: z
      .array(z.object({ keys: z.array(line(200)).min(1).max(20), content: line(20000) }).strict())
      .max(500)
      .optional(),
  })
  .strict()
  // Spread first, so a given fallback keeps its place among the keys (stored definitions read the same).
  .transform((persona) => ({ ...persona, fallback: persona.fallback ?? defaultFallback(persona.locale) }));

/** What a persona says when nothing answers, unless it says otherwise: Chinese, or English for `en…` locales. */
export function defaultFallback(locale: string): string[] {
  return locale.startsWith('en')
    ? ["I'm not sure about that yet. Shall we talk about something else?"]
    : ['这个我还不太清楚，我们聊点别的吧？'];
}

/** Largest avatar image accepted (PNG, JPEG or WebP). */
export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;
/** Largest character card upload (a PNG card is an image with the card inside). */
export const MAX_CARD_BYTES = 8 * 1024 * 1024;

export type Persona = z.infer<typeof personaSchema>;
export type PersonaVoice = z.infer<typeof voiceSchema>;
export type PersonaInput = z.input<typeof personaSchema>;
