import type { BlankInfillingLayout } from '@zhibing/kernels';
import { EngineError } from '../engine.errors';
import type { FinishReason, GenerationEvent, GenerationSettings } from '../engine.port';
import type { StoppingCriteria } from '../generation/stopping-criteria';
import { StreamingDetokenizer } from '../generation/streaming-detokenizer';
import { TokenSampler } from '../generation/token-sampler';
import { AsyncQueue } from './async-queue';
import type { SequenceCache } from './sequence-cache';

/** One request being generated: its cache, sampling state and the stream its events go to. */
export interface Sequence {
  cache: SequenceCache;
  sampler: TokenSampler;
  stopping: StoppingCriteria;
  detokenizer: StreamingDetokenizer;
  generated: number[];
  promptTokens: number;
  sent: string;
  started: number;
  firstTokenMs: number;
  signal?: AbortSignal;
  events: AsyncQueue<GenerationEvent>;
  /** GLM blank infilling (2-D models): where the prompt's blank and its span are; null for plain text. */
  layout: BlankInfillingLayout | null;
}

/** A new request's sequence: its sampler from the settings, its stream still empty. */
export function newSequence(parts: {
  cache: SequenceCache;
  settings: GenerationSettings;
  stopping: StoppingCriteria;
  decode: (ids: number[]) => string;
  promptTokens: number;
  signal?: AbortSignal;
  layout: BlankInfillingLayout | null;
}): Sequence {
  const { settings, decode } = parts;
  return {
    cache: parts.cache,
    sampler: new TokenSampler({
      temperature: settings.temperature ?? 0,
      topK: settings.topK ?? 0,
      topP: settings.topP ?? 1,
      repetitionPenalty: settings.repetitionPenalty ?? 1,
      seed: settings.seed ?? 0,
    }),
    stopping: parts.stopping,
    // U+0000 never reaches a reply: Postgres text cannot store it (a byte-level model can emit it).
    detokenizer: new StreamingDetokenizer((ids) => decode(ids).replaceAll('\u0000', '')),
    generated: [],
    promptTokens: parts.promptTokens,
    sent: '',
    started: performance.now(),
    firstTokenMs: 0,
    signal: parts.signal,
    events: new AsyncQueue<GenerationEvent>(),
    layout: parts.layout,
  };
}

/** A stream that only reports a failure (bad request before generation began). */
export function failing(error: unknown): AsyncIterable<GenerationEvent> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
  };
}

/**
 * Samples a sequence's next token from its logits and streams the text that became visible.
 * Returns why the sequence stops, or null when it goes on.
 */
export function streamToken(sequence: Sequence, logits: Float32Array): FinishReason | null {
  if (sequence.signal?.aborted) return 'cancelled';
  const id = sequence.sampler.next(logits, sequence.generated);
  sequence.generated.push(id);
  sequence.detokenizer.push(sequence.generated);
  const stop = sequence.stopping.check(id, sequence.generated.length, sequence.detokenizer.text);
  // Text up to a stop string is kept; an incomplete character is flushed only at the end.
  if (stop?.reason === 'length') sequence.detokenizer.flush(sequence.generated);
  const visible = stop?.reason === 'stop' ? stop.text : sequence.detokenizer.text;
  const delta = visible.startsWith(sequence.sent) ? visible.slice(sequence.sent.length) : '';
  if (delta) {
    if (!sequence.firstTokenMs) sequence.firstTokenMs = performance.now() - sequence.started;
    sequence.sent += delta;
    sequence.events.push({ type: 'delta', text: delta });
  }
  return stop?.reason ?? null;
}

/** Ends a sequence's stream with its text, usage and timings, and frees its cache. */
export function endSequence(sequence: Sequence, reason: FinishReason): void {
  sequence.cache.dispose();
  sequence.events.push({
    type: 'end',
    text: sequence.sent,
    finishReason: reason,
    usage: { promptTokens: sequence.promptTokens, completionTokens: sequence.generated.length },
    timings: { firstTokenMs: sequence.firstTokenMs, totalMs: performance.now() - sequence.started },
  });
  sequence.events.end();
}

/** The stream throws a typed error after the text already sent (the failed turn stores it). */
export function failSequence(sequence: Sequence, error: unknown): void {
  sequence.cache.dispose();
  const message = (error as Error)?.message ?? String(error);
  const typed =
    error instanceof EngineError
      ? error
      : new EngineError('engine_failed', `generation failed: ${message}`, { cause: error });
  sequence.events.fail(typed);
}
