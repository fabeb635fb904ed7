export { personaSchema, generationSettingsSchema, seedKnowledgeSchema, voiceSchema } from './persona.schema';
export type { Persona, PersonaInput, PersonaVoice } from './persona.schema';
export { loadPersonaFiles } from './load-persona-files';
export { PersonaRepository } from './persona.repository';
export type { StoredPersona } from './persona.repository';
export { syncPersonas, seedRecords } from './sync-personas';
export type { SeedKnowledgeSink, SyncReport } from './sync-personas';
export { personaFromCard, personaToCard, characterCardV2Schema } from './character-card';
export type { CharacterCardV2 } from './character-card';
