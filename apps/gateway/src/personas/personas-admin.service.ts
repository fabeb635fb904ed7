import { Injectable } from '@nestjs/common';
import { KnowledgeService } from '@zhibing/knowledge';
import {
  avatarMediaType,
  cardFromFile,
  cardPng,
  type LoreEntry,
  type Persona,
  PersonaAvatarRepository,
  PersonaRepository,
  personaFromCard,
  personaSchema,
  personaToCard,
  personaToCardV3,
  seedRecords,
} from '@zhibing/persona';
import { validate } from '@zhibing/protocol';

/** Persona authoring: versions, avatars, and SillyTavern character cards in and out. */
@Injectable()
export class PersonasAdminService {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly avatars: PersonaAvatarRepository,
    private readonly knowledge: KnowledgeService,
  ) {}

  async list(workspaceId: string) {
    const [personas, avatars] = await Promise.all([this.personas.list(workspaceId), this.avatars.urls(workspaceId)]);
    return personas.map((p) => ({ ...p, avatarUrl: avatars.get(p.id) }));
  }

  async get(workspaceId: string, id: string, version?: number) {
    const stored = await this.personas.require(workspaceId, id, version);
    return { ...stored, avatarUrl: await this.avatars.url(workspaceId, id) };
  }

  versions(workspaceId: string, id: string) {
    return this.personas.versions(workspaceId, id);
  }

  /** Creates or updates (a new version when the content changed); `id` in the path wins. */
  async save(workspaceId: string, body: unknown, id?: string) {
    const persona = validate(personaSchema, id ? { ...(body as object), id } : body, 'persona_invalid');
    return this.store(workspaceId, persona);
  }

  archive(workspaceId: string, id: string) {
    return this.personas.archive(workspaceId, id);
  }

  /**
   * Imports a character card (V2 or V3; JSON, or a PNG file with the card inside): the persona, its
   * lorebook as knowledge, and a PNG card's image as its avatar. Everything is checked before
   * anything is written, so a bad card changes nothing.
   */
  async importCard(workspaceId: string, input: { json?: unknown; file?: Buffer }, id?: string) {
    const { card, image } = input.file ? cardFromFile(input.file) : { card: input.json, image: undefined };
    const persona = personaFromCard(card, { id });
    if (image) avatarMediaType(image); // a card image too large for an avatar is refused before anything is saved
    const saved = await this.store(workspaceId, persona);
    const avatar = image ? await this.avatars.put(workspaceId, persona.id, image) : undefined;
    return { ...saved, avatarUrl: avatar ? await this.avatars.url(workspaceId, persona.id) : undefined };
  }

  /** The persona as a V2 (default) or V3 JSON card. */
  async exportCard(workspaceId: string, id: string, spec: 'v2' | 'v3') {
    const { persona } = await this.personas.require(workspaceId, id);
    const lore = await this.lore(workspaceId, persona);
    return spec === 'v3' ? personaToCardV3(persona, lore) : personaToCard(persona, lore);
  }

  /** The persona as a PNG card: its avatar (or a plain image) with the V2 and V3 cards inside. */
  async exportCardPng(workspaceId: string, id: string): Promise<Buffer> {
    const { persona } = await this.personas.require(workspaceId, id);
    const avatar = await this.avatars.get(workspaceId, id);
    return cardPng(persona, await this.lore(workspaceId, persona), avatar ?? undefined);
  }

  async putAvatar(workspaceId: string, id: string, bytes: Buffer) {
    await this.personas.require(workspaceId, id);
    const avatar = await this.avatars.put(workspaceId, id, bytes);
    return { ...avatar, avatarUrl: await this.avatars.url(workspaceId, id) };
  }

  /** The avatar anyone may load: of `workspaceId`, or of the default workspace when none is named. */
  publicAvatar(workspaceId: string | undefined, id: string) {
    return this.avatars.requirePublic(workspaceId, id);
  }

  private async store(workspaceId: string, persona: Persona) {
    const saved = await this.personas.save(workspaceId, persona);
    const records = seedRecords(persona);
    const imported =
      records.length > 0
        ? await this.knowledge.importRecords(workspaceId, persona.knowledgeBases[0] ?? persona.id, records)
        : { inserted: 0 };
    return { ...saved, persona, knowledgeItems: imported.inserted };
  }

  /** For a persona without its own lorebook: its description knowledge, one entry per entity. */
  private async lore(workspaceId: string, persona: Persona): Promise<LoreEntry[]> {
    if (persona.lorebook) return [];
    const kb = persona.knowledgeBases[0]
      ? await this.knowledge.repository.findKnowledgeBase(workspaceId, persona.knowledgeBases[0])
      : null;
    if (!kb) return [];
    const items = await this.knowledge.repository.listItems(kb.id, { kind: 'description', limit: 500, offset: 0 });
    return items.map((i) => ({ keys: [i.head ?? persona.name], content: i.text ?? i.tail ?? '' }));
  }
}
