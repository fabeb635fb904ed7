import { Injectable } from '@nestjs/common';
import { KnowledgeService } from '@zhibing/knowledge';
import {
  type Persona,
  PersonaRepository,
  personaFromCard,
  personaSchema,
  personaToCard,
  seedRecords,
} from '@zhibing/persona';
import { validate } from '@zhibing/protocol';

/** Persona authoring: versions, and SillyTavern character cards in and out. */
@Injectable()
export class PersonasAdminService {
  constructor(
    private readonly personas: PersonaRepository,
    private readonly knowledge: KnowledgeService,
  ) {}

  list(workspaceId: string) {
    return this.personas.list(workspaceId);
  }

  get(workspaceId: string, id: string, version?: number) {
    return this.personas.require(workspaceId, id, version);
  }

  versions(workspaceId: string, id: string) {
    return this.personas.versions(workspaceId, id);
  }

  /** Creates or updates (a new version when the content changed); `id` in the path wins. */
  async save(workspaceId: string, body: unknown, id?: string) {
    const persona = validate(personaSchema, id ? { ...(body as object), id } : body, 'persona_invalid');
    const saved = await this.personas.save(workspaceId, persona);
    const records = seedRecords(persona);
    if (records.length > 0)
      await this.knowledge.importRecords(workspaceId, persona.knowledgeBases[0] ?? persona.id, records);
    return { ...saved, persona };
  }

  archive(workspaceId: string, id: string) {
    return this.personas.archive(workspaceId, id);
  }

  /** Imports a character card: the persona, and its lorebook as descriptions in its knowledge base. */
  async importCard(workspaceId: string, card: unknown, id?: string) {
    const { persona, knowledge } = personaFromCard(card, { id });
    const saved = await this.personas.save(workspaceId, persona);
    const imported =
      knowledge.length > 0
        ? await this.knowledge.importRecords(workspaceId, persona.knowledgeBases[0], knowledge)
        : { inserted: 0 };
    return { ...saved, persona, knowledgeItems: imported.inserted };
  }

  async exportCard(workspaceId: string, id: string) {
    const { persona } = await this.personas.require(workspaceId, id);
    return personaToCard(persona, await this.lore(workspaceId, persona));
  }

  private async lore(workspaceId: string, persona: Persona): Promise<{ entity: string; text: string }[]> {
    const kb = persona.knowledgeBases[0]
      ? await this.knowledge.repository.findKnowledgeBase(workspaceId, persona.knowledgeBases[0])
      : null;
    if (!kb) return [];
    const items = await this.knowledge.repository.listItems(kb.id, { kind: 'description', limit: 500, offset: 0 });
    return items.map((i) => ({ entity: i.head ?? persona.name, text: i.text ?? i.tail ?? '' }));
  }
}
