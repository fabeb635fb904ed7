import type { GenerationEvent } from '@zhibing/engine';
import type { RankedKnowledge } from '@zhibing/knowledge';
import type { Persona } from '@zhibing/persona';
import type { PromptInput } from '@zhibing/prompt';

/** Everything known about the reply to write, after history and knowledge selection. */
export interface ReplyContext {
  persona: Persona;
  prompt: PromptInput;
  knowledge: RankedKnowledge[];
  /** How many turns the conversation has had, for varying fallback lines. */
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
