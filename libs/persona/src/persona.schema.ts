// The persona schema is wire format (the console validates its editor with it), so it lives in
// libs/protocol; this lib re-exports it for its own files and callers.
export { personaSchema, generationSettingsSchema, seedKnowledgeSchema, voiceSchema } from '@zhibing/protocol';
export type { Persona, PersonaInput, PersonaVoice } from '@zhibing/protocol';
