/**
 * The Engine port: everything the dialogue pipeline and the OpenAI-compatible API need from a
 * text generator. Implementations: the onnx engine (GLM / GLM-MoE on onnxruntime-node) and the
 * remote engine (any OpenAI-compatible server).
 */

/** Sampling and stopping settings of one generation. Unset fields take the engine's defaults. */
export interface GenerationSettings {
  maxTokens?: number;
  temperature?: number; // 0 = greedy
  topK?: number;
  topP?: number;
  repetitionPenalty?: number;
  seed?: number;
  stop?: string[];
  /** Keep generating past end-of-sequence tokens until maxTokens (benchmarks). */
  ignoreEos?: boolean;
}

/** A prompt piece: literal text (never parsed for control tokens) or a control token. */
export type PromptPiece = { kind: 'text'; text: string } | { kind: 'special'; token: string };

/**
 * One generation: a templated prompt as segments (preferred: user text stays literal at the
 * token level), a raw prompt string, or chat messages.
 */
export interface GenerationRequest {
  segments?: PromptPiece[];
  prompt?: string;
  messages?: ChatMessage[];
  settings?: GenerationSettings;
  signal?: AbortSignal;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type FinishReason = 'stop' | 'length' | 'cancelled' | 'error';

export interface GenerationUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface GenerationTimings {
  /** Milliseconds from the call to the first emitted text. */
  firstTokenMs: number;
  totalMs: number;
}

/** Events of a generation stream, in order: any number of deltas, then exactly one `end`. */
export type GenerationEvent =
  | { type: 'delta'; text: string }
  | { type: 'end'; text: string; finishReason: FinishReason; usage: GenerationUsage; timings: GenerationTimings };

export interface EngineCapabilities {
  /** The engine understands GLM blank-infilling prompts ([MASK] … <sop>). */
  blankInfilling: boolean;
  /** `score()` is available. */
  scoring: boolean;
  /** Maximum prompt + completion tokens. */
  contextLength: number;
  /** Prompt template family the engine expects: 'glm' blank infilling, 'glm4-chat', or 'messages'. */
  promptFormat: 'glm' | 'glm4-chat' | 'messages';
}

export interface Engine {
  /** A short stable name for traces and /health, e.g. `onnx:tiny-moe` or `remote:glm-4.5`. */
  readonly name: string;
  readonly capabilities: EngineCapabilities;
  /** Streams a generation. Aborting `request.signal` ends the stream with finishReason `cancelled`. */
  generate(request: GenerationRequest): AsyncIterable<GenerationEvent>;
  /** Sum of log-probabilities of `continuation` tokens given `prompt`. */
  score(prompt: string, continuation: string): Promise<number>;
  /** Counts tokens as the engine's tokenizer would, for prompt budgeting. */
  countTokens(text: string): number;
  /** Frees sessions and caches. */
  close(): Promise<void>;
}

/** Injection token for the configured engine (null when running the retrieval responder). */
export const ENGINE = Symbol('ZHIBING_ENGINE');
