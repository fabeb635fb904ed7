import { createHash } from 'node:crypto';
import type { Persona } from '@zhibing/persona';

/**
 * The greeting a conversation opens with: one of the persona's greeting and its card's alternate
 * greetings, picked by a hash of the conversation id, so the same conversation shows the same one
 * every time it is resumed (on any gateway) while new conversations vary.
 */
export function sessionGreeting(persona: Pick<Persona, 'greeting' | 'alternateGreetings'>, conversationId: string) {
  const choices = [persona.greeting, ...(persona.alternateGreetings ?? [])];
  if (choices.length === 1) return persona.greeting;
  const bucket = createHash('sha256').update(conversationId).digest().readUInt32BE(0);
  return choices[bucket % choices.length];
}

/**
 * The key a conversation's persona is cached under: a version never changes, but `{{user}}` is
 * substituted with the visitor's name, so two visitors of one version see two personas.
 */
export function chatPersonaKey(
  workspaceId: string,
  personaId: string,
  version: number,
  visitorName: string | null | undefined,
): string {
  return JSON.stringify([workspaceId, personaId, version, visitorName ?? null]);
}
