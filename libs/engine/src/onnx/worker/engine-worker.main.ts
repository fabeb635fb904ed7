import type { GenerationEvent } from '../../engine.port';
import type { OnnxEngineOptions } from '../load-onnx-model';
import { OnnxEngine } from '../onnx-engine';
import {
  type EngineStats,
  type FromWorker,
  type StreamItem,
  type ToWorker,
  toWireError,
  type WireRequest,
} from './engine-worker.protocol';

/**
 * The engine process's side: one OnnxEngine (scheduler, batching, sampling, detokenizing all here,
 * off the caller's event loop). Only text deltas and ends cross back, and every item produced
 * while one decode step is handled goes in one message: onnxruntime-node runs each step inside a
 * setImmediate, so a flush queued with setImmediate fires after the step's tokens and before the
 * next step.
 */
const post = (message: FromWorker) => process.send!(message);
const aborts = new Map<number, AbortController>();
let outbox: StreamItem[] = [];

function send(item: StreamItem): void {
  if (outbox.length === 0) setImmediate(flush);
  outbox.push(item);
}

function flush(): void {
  const items = outbox;
  outbox = [];
  if (items.length > 0) post({ type: 'stream', items });
}

async function stream(engine: OnnxEngine, id: number, request: WireRequest): Promise<void> {
  const abort = new AbortController();
  aborts.set(id, abort);
  try {
    for await (const event of engine.generate({ ...request, signal: abort.signal }) as AsyncIterable<GenerationEvent>)
      send({ id, event });
  } catch (error) {
    send({ id, error: toWireError(error) });
  } finally {
    aborts.delete(id);
  }
}

async function answer(id: number, work: () => Promise<number | EngineStats>): Promise<void> {
  try {
    post({ type: 'reply', id, value: await work() });
  } catch (error) {
    post({ type: 'reply-failed', id, error: toWireError(error) });
  }
}

async function serve(options: OnnxEngineOptions): Promise<void> {
  let engine: OnnxEngine;
  try {
    engine = await OnnxEngine.load({ ...options, worker: false });
  } catch (error) {
    post({ type: 'load-failed', error: toWireError(error) });
    return;
  }
  process.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'init':
        break;
      case 'generate':
        void stream(engine, message.id, message.request);
        break;
      case 'cancel':
        aborts.get(message.id)?.abort();
        break;
      case 'score':
        void answer(message.id, () => engine.score(message.prompt, message.continuation));
        break;
      case 'stats':
        void answer(message.id, async () => ({
          liveCaches: engine.liveCaches,
          decodeSteps: engine.decodeSteps,
          routing: engine.routingCounts(),
        }));
        break;
      case 'close':
        // A session that fails to release is still closed as far as the caller is concerned: the
        // process ends right after (the caller disconnects on 'closed'), and its memory with it.
        void engine
          .close()
          .catch((error: unknown) => console.error('zhibing: closing the engine worker:', error))
          .then(() => {
            flush();
            post({ type: 'closed' });
          });
        break;
    }
  });
  post({ type: 'ready', name: engine.name, capabilities: engine.capabilities });
}

// The first message says what to load; a caller that goes away takes this process with it.
process.once('message', (message: ToWorker) => {
  if (message.type === 'init') void serve(message.options);
});
process.on('disconnect', () => process.exit(0));
