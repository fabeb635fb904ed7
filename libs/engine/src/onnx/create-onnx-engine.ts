import type { OnnxEngineOptions } from './load-onnx-model';
import { OnnxEngine } from './onnx-engine';
import { WorkerOnnxEngine } from './worker/worker-onnx-engine';

/**
 * The factory the gateway and CLI call: the model in a worker process (inference never blocks the
 * caller's event loop), or on the calling thread with `worker: false`.
 */
export function createOnnxEngine(options: OnnxEngineOptions & { worker: false }): Promise<OnnxEngine>;
export function createOnnxEngine(options: OnnxEngineOptions): Promise<WorkerOnnxEngine | OnnxEngine>;
export function createOnnxEngine(options: OnnxEngineOptions): Promise<WorkerOnnxEngine | OnnxEngine> {
  return options.worker === false ? OnnxEngine.load(options) : WorkerOnnxEngine.load(options);
}
