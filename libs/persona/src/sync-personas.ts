import type { KnowledgeRecord } from '@zhibing/knowledge';
import { personaForChat } from './persona-macros';
import type { Persona } from './persona.schema';
import type { PersonaRepository } from './persona.repository';

/** What loading personas needs from the knowledge base: importing validated records. */
export interface SeedKnowledgeSink {
  importRecords(workspaceId: string, knowledgeBase: string, records: KnowledgeRecord[]): Promise<{ inserted: number }>;
}

export interface SyncReport {
  id: string;
  version: number;
  created: boolean;
  seeded: number;
}

/**
 * A card's lorebook as knowledge: each entry a description of its first key, and each other key a
 * 别名 (alias) fact of it, so entity linking finds the entry by any of its keys. Knowledge is shared
 * by every visitor, so `{{user}}` becomes the neutral name here.
 */
function lorebookRecords(persona: Persona): KnowledgeRecord[] {
  const source = `card:${persona.id}`;
  return (personaForChat(persona).lorebook ?? []).flatMap(({ keys: [entity, ...aliases], content }) => [
    { type: 'description' as const, entity, text: content, source },
    ...aliases
      .filter((alias) => alias !== entity)
      .map((tail) => ({ type: 'triple' as const, head: entity, relation: '别名', tail, source })),
  ]);
}

/** The seed knowledge (and lorebook) of a persona as import records. */
export function seedRecords(persona: Persona): KnowledgeRecord[] {
  const seed = persona.seedKnowledge ?? { qa: [], descriptions: [], triples: [] };
  return [
    ...seed.qa.map((qa): KnowledgeRecord => ({ type: 'qa', ...qa, source: `persona:${persona.id}` })),
    ...seed.descriptions.map((d): KnowledgeRecord => ({ type: 'description', ...d, source: `persona:${persona.id}` })),
    ...seed.triples.map((t): KnowledgeRecord => ({ type: 'triple', ...t, source: `persona:${persona.id}` })),
    ...lorebookRecords(persona),
  ];
}

/**
 * Loads personas into a workspace: a new version only when a persona's content changed, and
 * its seed knowledge imported (idempotently) into its first knowledge base. Safe at every start.
 */
export async function syncPersonas(
  workspaceId: string,
  personas: Persona[],
  repository: PersonaRepository,
  knowledge: SeedKnowledgeSink,
): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  for (const persona of personas) {
    const { version, created } = await repository.save(workspaceId, persona);
    const records = seedRecords(persona);
    const target = persona.knowledgeBases[0] ?? persona.id;
    const seeded = records.length > 0 ? (await knowledge.importRecords(workspaceId, target, records)).inserted : 0;
    reports.push({ id: persona.id, version, created, seeded });
  }
  return reports;
}
