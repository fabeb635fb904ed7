import type { ChildProcess } from 'node:child_process';
import { encodeLiteral } from '@zhibing/prompt';
import { EngineError } from '../../engine.errors';
import type { Engine, EngineCapabilities, GenerationEvent, GenerationRequest } from '../../engine.port';
import { AsyncQueue } from '../async-queue';
import { loadModelText, type OnnxEngineOptions } from '../load-onnx-model';
import type { ModelPrompt } from '../model-prompt';
import {
  type EngineStats,
  type FromWorker,
  fromWireError,
  type StreamItem,
  type ToWorker,
  type WireRequest,
} from './engine-worker.protocol';
import { spawnEngineWorker } from './spawn-engine-worker';
import { TokenCountCache } from '../token-count-cache';

/** A request the worker answers once (the id is added when it is sent). */
type CallMessage = { type: 'score'; prompt: string; continuation: string } | { type: 'stats' };

/** How long close() lets the worker finish its replies before ending it. */
const CLOSE_GRACE_MS = 30_000;

/** A started engine process, and the calls and streams waiting on it. */
interface Running {
  worker: ChildProcess;
  /** Each open stream, with what undoes its abort listener once it ends. */
  streams: Map<number, { events: AsyncQueue<GenerationEvent>; detach: () => void }>;
  calls: Map<number, { resolve: (value: never) => void; reject: (error: unknown) => void }>;
  exited: boolean;
  /** It loaded its model (a worker that dies while loading is not restarted at once: no restart loop). */
  loaded: boolean;
}

/**
 * The onnx engine with its model in a worker process: sessions, batching, sampling and
 * detokenizing run there, so a prefill or a decode step never stalls this process's sockets.
 * Same behaviour as OnnxEngine for callers (continuous batching, cancellation, typed errors).
 * If the worker dies (a crash, out of memory, a kill, restart()), every reply in flight ends
 * with `engine_failed` and a new worker is started; the next requests go to it.
 */
export class WorkerOnnxEngine implements Engine {
  private running: Running;
  private ready: Promise<void>;
  private nextId = 1;
  /** Counted here, synchronously (prompt budgeting); kept, as the same texts come every turn. */
  private readonly tokenCounts = new TokenCountCache((text) => encodeLiteral(this.prompt.literal, text).length);
  private closed = false;

  private constructor(
    private readonly options: OnnxEngineOptions,
    private readonly prompt: ModelPrompt,
    readonly name: string,
    readonly capabilities: EngineCapabilities,
    started: { running: Running; ready: Promise<void> },
  ) {
    this.running = started.running;
    this.ready = started.ready;
  }

  /** Starts the worker and waits for its model; load errors are the same typed errors as OnnxEngine's. */
  static async load(options: OnnxEngineOptions): Promise<WorkerOnnxEngine> {
    // The tokenizer stays here too: countTokens() is synchronous (prompt budgeting).
    const text = await loadModelText(options);
    let engine: WorkerOnnxEngine | null = null;
    const started = WorkerOnnxEngine.start(options, (running, why) => engine?.onExit(running, why));
    const ready = await started.ready;
    engine = new WorkerOnnxEngine(options, text.prompt, ready.name, ready.capabilities, {
      running: started.running,
      ready: Promise.resolve(),
    });
    return engine;
  }

  /** Starts a worker; `ready` settles with its name and capabilities, or the load error. */
  private static start(
    options: OnnxEngineOptions,
    onExit: (running: Running, why: string) => void,
  ): { running: Running; ready: Promise<{ name: string; capabilities: EngineCapabilities }> } {
    const worker = spawnEngineWorker();
    const running: Running = { worker, streams: new Map(), calls: new Map(), exited: false, loaded: false };
    const ready = new Promise<{ name: string; capabilities: EngineCapabilities }>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          running.loaded = true;
          resolve(message);
        } else if (message.type === 'load-failed') {
          reject(fromWireError(message.error));
          worker.disconnect();
        } else if (message.type === 'closed') worker.disconnect();
        else WorkerOnnxEngine.dispatch(running, message);
      });
      // 'error': the process could not be spawned or messaged; 'exit' follows when it was running.
      worker.on('error', (error) => {
        reject(new EngineError('engine_failed', `the engine worker failed: ${error.message}`, { cause: error }));
        console.error('zhibing: the engine worker failed:', error);
      });
      worker.on('exit', (code, signal) => {
        running.exited = true;
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        reject(new EngineError('engine_failed', `the engine worker stopped while loading (${why})`));
        onExit(running, why);
      });
    });
    worker.send({ type: 'init', options: { ...options, worker: false } } satisfies ToWorker);
    return { running, ready };
  }

  private static dispatch(running: Running, message: FromWorker): void {
    switch (message.type) {
      case 'stream':
        for (const item of message.items) WorkerOnnxEngine.deliver(running, item);
        break;
      case 'reply':
      case 'reply-failed': {
        const call = running.calls.get(message.id);
        running.calls.delete(message.id);
        if (message.type === 'reply') call?.resolve(message.value as never);
        else call?.reject(fromWireError(message.error));
        break;
      }
    }
  }

  private static deliver(running: Running, item: StreamItem): void {
    const stream = running.streams.get(item.id);
    if (!stream) return;
    if ('error' in item || item.event.type === 'end') {
      running.streams.delete(item.id);
      stream.detach();
    }
    if ('error' in item) stream.events.fail(fromWireError(item.error));
    else {
      stream.events.push(item.event);
      if (item.event.type === 'end') stream.events.end();
    }
  }

  /** The worker ended: fail what it held; unless we are closing, start the next one at once. */
  private onExit(running: Running, reason: string): void {
    const why = `the engine worker stopped (${reason}); the reply was cut short`;
    for (const { events, detach } of running.streams.values()) {
      detach();
      events.fail(new EngineError('engine_failed', why));
    }
    for (const call of running.calls.values()) call.reject(new EngineError('engine_failed', why));
    running.streams.clear();
    running.calls.clear();
    // One that never loaded (say the folder is gone) is tried again by the next request instead.
    if (this.closed || running !== this.running || !running.loaded) return;
    this.startNext();
  }

  private startNext(): void {
    const next = WorkerOnnxEngine.start(this.options, (r, why) => this.onExit(r, why));
    this.running = next.running;
    this.ready = next.ready.then(
      () => undefined,
      (error: unknown) => {
        console.error('zhibing: the engine worker could not start:', error);
        throw error;
      },
    );
    // Requests wait on `ready`; a failed start is reported to each of them, never dropped.
    this.ready.catch(() => undefined);
  }

  /**
   * The worker to send to, once it is ready. A worker that died meanwhile has been replaced, so
   * this waits for the replacement; one that could not start is started again once for each
   * request (so a model folder put back is picked up, and a broken one fails each request with its
   * typed load error, without a restart loop).
   */
  private async current(): Promise<Running> {
    let retried = false;
    for (;;) {
      const ready = this.ready;
      try {
        await ready;
      } catch (error) {
        if (ready !== this.ready) continue; // replaced meanwhile: wait for the new one
        if (this.closed || retried) throw error;
        retried = true;
        // A worker whose load failed is of no use, even if it has not exited yet.
        const failed = this.running;
        this.startNext();
        if (!failed.exited) failed.worker.kill('SIGKILL');
        continue;
      }
      if (this.closed) throw new EngineError('engine_unavailable', 'the engine is closed');
      if (ready === this.ready) return this.running;
    }
  }

  generate(request: GenerationRequest): AsyncIterable<GenerationEvent> {
    const events = new AsyncQueue<GenerationEvent>();
    const id = this.nextId++;
    const { signal, ...rest } = request;
    const wire: WireRequest = rest;
    this.current().then(
      (running) => {
        // Cancellation crosses as a message; the worker stops the sequence between steps.
        const cancel = () => this.post(running, { type: 'cancel', id });
        signal?.addEventListener('abort', cancel, { once: true });
        running.streams.set(id, { events, detach: () => signal?.removeEventListener('abort', cancel) });
        this.post(running, { type: 'generate', id, request: wire });
        if (signal?.aborted) cancel();
      },
      (error: unknown) => events.fail(error),
    );
    return events;
  }

  score(prompt: string, continuation: string): Promise<number> {
    return this.call<number>({ type: 'score', prompt, continuation });
  }

  /** The worker's counters: live caches, decode steps, MoE routing counts. */
  stats(): Promise<EngineStats> {
    return this.call<EngineStats>({ type: 'stats' });
  }

  /** Tokens routed to each expert of each MoE layer since start (a restarted worker counts afresh). */
  async routingCounts(): Promise<{ layer: number; counts: number[] }[]> {
    return (await this.stats()).routing;
  }

  /** `ready`: a worker serves; `starting`: one is loading (after a crash too); `down`: none could load (the next request retries). */
  get workerState(): 'ready' | 'starting' | 'down' {
    const { exited, loaded } = this.running;
    return exited ? 'down' : loaded ? 'ready' : 'starting';
  }

  countTokens(value: string): number {
    return this.tokenCounts.get(value);
  }

  /**
   * Kills the worker at once, as a crash would: every reply in flight ends with engine_failed,
   * and a fresh worker takes the next requests. Resolves when the new worker is ready.
   */
  async restart(): Promise<void> {
    const old = this.running;
    if (!old.exited) {
      const exited = new Promise<void>((resolve) => old.worker.once('exit', () => resolve()));
      old.worker.kill('SIGKILL');
      await exited;
    }
    // onExit ran before the listener above, so `ready` is the new worker's.
    await this.ready;
  }

  /** Finishes the replies in flight, then ends the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => undefined);
    const running = this.running;
    if (running.exited) return;
    const exited = new Promise<void>((resolve) => running.worker.once('exit', () => resolve()));
    this.post(running, { type: 'close' });
    // A worker that cannot wind down (a session stuck in native code) is ended rather than waited on.
    const stuck = setTimeout(() => running.worker.kill('SIGKILL'), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(stuck);
  }

  private call<T>(message: CallMessage): Promise<T> {
    return this.current().then(
      (running) =>
        new Promise<T>((resolve, reject) => {
          const id = this.nextId++;
          running.calls.set(id, { resolve: resolve as (value: never) => void, reject });
          this.post(running, { ...message, id } as ToWorker);
        }),
    );
  }

  private post(running: Running, message: ToWorker): void {
    // A worker that just died takes no messages; its exit handler fails what was waiting on it.
    if (!running.exited && running.worker.connected) running.worker.send(message);
  }
}
