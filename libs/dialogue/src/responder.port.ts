import type { GenerationEvent } from '@zhibing/engine';
import type { RankedKnowledge } from '@zhibing/knowledge';
import type { Persona } from '@zhibing/persona';
import type { PromptInput } from '@zhibing/prompt';
import type { Grounding } from './reply/grounding';

/** Everything known about the reply to write, after history and knowledge selection. */
export interface ReplyContext {
  persona: Persona;
  prompt: PromptInput;
  knowledge: RankedKnowledge[];
  /** What the reply rests on: the knowledge that answers the newest utterance, or none. */
  grounding: Grounding;
  /** The persona's earlier replies in this conversation, oldest first (never repeated verbatim). */
  earlierReplies: string[];
  /** How many user turns came before this one, for varying the persona's phrasing. */
  turnCount: number;
  signal: AbortSignal;
}

/** What the trace records about how the reply was produced. */
export interface ResponderTrace {
  engine: string;
  prompt?: string;
  promptTokens?: number;
  dropped?: string[];
  note?: string;
}

/**
 * Writes the persona's reply as a stream of generation events. Implementations: the engine
 * responder (a GLM prompt on a real engine) and the retrieval responder (no model configured).
 */
export interface Responder {
  readonly name: string;
  countTokens(text: string): number;
  reply(context: ReplyContext): { trace: ResponderTrace; events: AsyncIterable<GenerationEvent> };
}
