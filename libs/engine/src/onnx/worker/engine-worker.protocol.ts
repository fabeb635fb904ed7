import { ZhibingError } from '@zhibing/protocol';
import { EngineError } from '../../engine.errors';
import type { EngineCapabilities, GenerationEvent, GenerationRequest } from '../../engine.port';
import type { OnnxEngineOptions } from '../load-onnx-model';

/** A generation request as it crosses to the worker: plain data (the abort signal stays behind). */
export type WireRequest = Omit<GenerationRequest, 'signal'>;

/** What an error keeps when it crosses to the caller's process: enough to rebuild the typed error callers see. */
export interface WireError {
  name: string;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The engine's counters, read on demand (a /metrics scrape, a test) rather than sent every step. */
export interface EngineStats {
  liveCaches: number;
  decodeSteps: number;
  routing: { layer: number; counts: number[] }[];
}

/** Caller → worker process. */
export type ToWorker =
  | { type: 'init'; options: OnnxEngineOptions }
  | { type: 'generate'; id: number; request: WireRequest }
  | { type: 'cancel'; id: number }
  | { type: 'score'; id: number; prompt: string; continuation: string }
  | { type: 'stats'; id: number }
  | { type: 'close' };

/** One generation's news from a step: an event, or the typed error that ends its stream. */
export type StreamItem = { id: number; event: GenerationEvent } | { id: number; error: WireError };

/** Worker process → caller. Stream items of one decode step travel together in one message. */
export type FromWorker =
  | { type: 'ready'; name: string; capabilities: EngineCapabilities }
  | { type: 'load-failed'; error: WireError }
  | { type: 'stream'; items: StreamItem[] }
  | { type: 'reply'; id: number; value: number | EngineStats }
  | { type: 'reply-failed'; id: number; error: WireError }
  | { type: 'closed' };

export function toWireError(error: unknown): WireError {
  if (error instanceof ZhibingError)
    return { name: error.name, code: error.code, message: error.message, details: error.details };
  const message = (error as Error)?.message ?? String(error);
  return { name: 'EngineError', code: 'engine_failed', message: `generation failed: ${message}` };
}

/** The typed error again, on the caller's side (same code, message, name and details). */
export function fromWireError(wire: WireError): ZhibingError {
  const error =
    wire.name === 'EngineError'
      ? new EngineError(wire.code, wire.message)
      : new ZhibingError(wire.code, wire.message, wire.details);
  error.name = wire.name;
  return error;
}
