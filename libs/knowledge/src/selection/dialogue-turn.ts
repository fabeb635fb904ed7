/** One turn of a dialogue as selection reads it. */
export interface DialogueTurn {
  text: string;
  /** The persona's turns voice knowledge; the user's turns ask for it. Default 'user'. */
  speaker?: 'user' | 'persona';
  /** Knowledge a persona reply was grounded in (from its trace): voiced at that turn. */
  usedItemIds?: string[];
}

/** A turn with its speaker resolved: plain strings are user turns (the behaviour before speakers existed). */
export interface ResolvedTurn {
  text: string;
  speaker: 'user' | 'persona';
  usedItemIds: string[];
}

export function resolveTurns(turns: readonly (string | DialogueTurn)[]): ResolvedTurn[] {
  return turns.map((turn) =>
    typeof turn === 'string'
      ? { text: turn, speaker: 'user', usedItemIds: [] }
      : { text: turn.text, speaker: turn.speaker ?? 'user', usedItemIds: turn.usedItemIds ?? [] },
  );
}

/** Position of the newest user turn, or -1 when the user has not spoken. */
export function newestUserTurn(turns: readonly ResolvedTurn[]): number {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i].speaker === 'user') return i;
  return -1;
}
