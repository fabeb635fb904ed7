import type { Persona } from './persona.schema';

/** What `{{user}}` becomes when the visitor's name is not known, by the persona's language. */
export function defaultUserName(locale: string): string {
  return locale.startsWith('zh') ? '你' : locale.startsWith('ja') ? 'あなた' : 'you';
}

/** `{{char}}` / `{{user}}` (any case, also the legacy `<BOT>` / `<USER>`) replaced in one text. */
export function substituteMacros(text: string, names: { char: string; user: string }): string {
  return text.replace(/\{\{\s*char\s*\}\}|<BOT>/gi, names.char).replace(/\{\{\s*user\s*\}\}|<USER>/gi, names.user);
}

/**
 * The persona as a conversation uses it: macros substituted in every text the prompt or the
 * visitor sees, and the card's system prompt put before the profile (the GLM prompt has no system
 * role; the profile is where who-the-persona-is goes). The stored persona keeps its macros.
 */
export function personaForChat(persona: Persona, userName?: string): Persona {
  const names = { char: persona.name, user: userName?.trim() || defaultUserName(persona.locale) };
  const sub = (text: string) => substituteMacros(text, names);
  const profile = sub(persona.profile);
  return {
    ...persona,
    profile: persona.systemPrompt?.trim() ? `${sub(persona.systemPrompt.trim())}\n${profile}` : profile,
    style: sub(persona.style),
    greeting: sub(persona.greeting),
    fallback: persona.fallback.map(sub),
    examples: persona.examples.map((e) => ({ user: sub(e.user), persona: sub(e.persona) })),
    grounding: persona.grounding && {
      ...persona.grounding,
      ...(persona.grounding.setting !== undefined && { setting: sub(persona.grounding.setting) }),
      ...(persona.grounding.postResponse !== undefined && { postResponse: sub(persona.grounding.postResponse) }),
    },
    alternateGreetings: persona.alternateGreetings?.map(sub),
    systemPrompt: persona.systemPrompt && sub(persona.systemPrompt),
    lorebook: persona.lorebook?.map((e) => ({ keys: e.keys, content: sub(e.content) })),
  };
}
