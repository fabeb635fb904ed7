import type { Persona } from '../persona.schema';
import type { CharacterCardV2, CharacterCardV3 } from './character-card.schema';

/** Lorebook entries of a persona authored without one: its description knowledge. */
export interface LoreEntry {
  keys: string[];
  content: string;
}

function cardData(persona: Persona, lore: LoreEntry[]): CharacterCardV2['data'] {
  return {
    name: persona.name,
    description: persona.profile,
    personality: persona.style,
    scenario: persona.grounding?.setting ?? '',
    first_mes: persona.greeting,
    mes_example: persona.examples.map((e) => `<START>\n{{user}}: ${e.user}\n{{char}}: ${e.persona}`).join('\n'),
    creator_notes: persona.creatorNotes ?? '',
    system_prompt: persona.systemPrompt ?? '',
    post_history_instructions: '',
    alternate_greetings: persona.alternateGreetings ?? [],
    tags: persona.tags ?? [],
    creator: 'zhibing',
    character_version: '',
    character_book: {
      name: persona.knowledgeBases[0] ?? persona.id,
      entries: (persona.lorebook ?? lore).map((l, i) => ({
        keys: l.keys,
        content: l.content,
        enabled: true,
        insertion_order: i,
        extensions: {},
      })),
    },
    extensions: {
      zhibing: {
        id: persona.id,
        locale: persona.locale,
        scenario: persona.scenario,
        knowledgeBases: persona.knowledgeBases,
        fallback: persona.fallback,
        generation: persona.generation,
        ...(persona.voice && { voice: persona.voice }),
        ...(persona.grounding?.emotion && { emotion: persona.grounding.emotion }),
        ...(persona.grounding?.postResponse && { postResponse: persona.grounding.postResponse }),
      },
    },
  };
}

/**
 * A SillyTavern V2 card of a persona. The lorebook is the persona's own (from an imported card)
 * or, for a persona authored here, `lore` (its description knowledge).
 */
export function personaToCard(persona: Persona, lore: LoreEntry[] = []): CharacterCardV2 {
  return { spec: 'chara_card_v2', spec_version: '2.0', data: cardData(persona, lore) };
}

/** The same card as V3 (`chara_card_v3`), its icon the PNG it is embedded in. */
export function personaToCardV3(persona: Persona, lore: LoreEntry[] = []): CharacterCardV3 {
  return {
    spec: 'chara_card_v3',
    spec_version: '3.0',
    data: {
      ...cardData(persona, lore),
      group_only_greetings: [],
      assets: [{ type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png' }],
    },
  };
}
