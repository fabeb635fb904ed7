import { ZhibingError } from '@zhibing/protocol';

/** Who is talking: the key's workspace and, for widget keys, the personas it may reach. */
export interface Caller {
  workspaceId: string;
  personaIds?: string[];
  channel: string;
}

/** Refuses a persona the caller's key may not talk to (`persona_forbidden`). */
export function assertPersonaAllowed(caller: Caller, personaId: string): void {
  // A widget key reaches only the personas it lists (none listed: none); other keys are limited only when they list some.
  const limited = caller.channel === 'widget' || (caller.personaIds?.length ?? 0) > 0;
  if (limited && !(caller.personaIds ?? []).includes(personaId)) {
    throw new ZhibingError('persona_forbidden', `This key may not talk to persona "${personaId}"`);
  }
}
