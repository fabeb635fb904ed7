import { neutralizeSpecials } from '@zhibing/prompt';
import { EngineError } from '../engine.errors';
import type { Engine, EngineCapabilities, FinishReason, GenerationEvent, GenerationRequest } from '../engine.port';
import { sseData } from './sse-lines';

export interface RemoteEngineOptions {
  /** Base URL of an OpenAI-compatible server, e.g. http://gpu-host:8000 (with or without /v1). */
  url: string;
  model?: string;
  apiKey?: string;
  /** Milliseconds to wait for the first token of each attempt (connecting and prefill included). Default 60 s. */
  firstTokenTimeoutMs?: number;
  /** Milliseconds of silence tolerated between chunks once tokens flow (a flowing stream never ends). Default 30 s. */
  idleTimeoutMs?: number;
  /** Attempts before the first token; never retried once text has been emitted. */
  retries?: number;
  contextLength?: number;
}

interface ChunkChoice {
  delta?: { content?: string | null };
  text?: string;
  finish_reason?: string | null;
}

const codeForStatus = (status: number) =>
  status === 429 || status === 503 ? 'engine_overloaded' : status >= 500 ? 'engine_unavailable' : 'engine_rejected';

/**
 * Arms one deadline at a time on an AbortController: first the first-token deadline, then, once
 * tokens flow, an idle deadline re-armed by every chunk. `reason` says which one fired.
 */
class StreamDeadline {
  readonly controller = new AbortController();
  reason: string | null = null;
  private timer: NodeJS.Timeout | undefined;

  arm(ms: number, reason: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.reason = reason;
      this.controller.abort(new Error(reason));
    }, ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/**
 * Any OpenAI-compatible server (vLLM, SGLang, TGI, llama.cpp, Ollama, the GLM API, or another
 * Zhibing gateway) as an engine: chat messages go to /v1/chat/completions, raw prompts and
 * segments to /v1/completions, streamed over SSE, with a first-token deadline, an idle deadline
 * between chunks (a stream that keeps flowing is never cut), abort, and retries only before the
 * first token. User text reaches the server only with control-token spellings neutralized: in
 * chat messages, and in the text parts of segments (the server tokenizes rendered templates
 * with its special tokens recognised). A raw `prompt` is the caller's own template text.
 */
export class RemoteEngine implements Engine {
  readonly name: string;
  readonly capabilities: EngineCapabilities;
  private readonly base: string;

  constructor(private readonly options: RemoteEngineOptions) {
    this.base = options.url.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.name = `remote:${options.model ?? new URL(this.base).host}`;
    this.capabilities = {
      blankInfilling: false,
      scoring: false,
      contextLength: options.contextLength ?? 8192,
      promptFormat: 'messages',
    };
  }

  /** Without the server's tokenizer: about one token per CJK character or 4 Latin characters. */
  countTokens(text: string): number {
    let count = 0;
    for (const char of text) count += /[\u3000-\u9fff\uff00-\uffef]/.test(char) ? 1 : 0.25;
    return Math.ceil(count);
  }

  async *generate(request: GenerationRequest): AsyncIterable<GenerationEvent> {
    const started = performance.now();
    const settings = request.settings ?? {};
    const chat = request.messages !== undefined;
    const prompt =
      request.prompt ??
      request.segments?.map((s) => (s.kind === 'text' ? neutralizeSpecials(s.text) : s.token)).join('');
    const messages = request.messages?.map((m) => ({ role: m.role, content: neutralizeSpecials(m.content) }));
    const body = {
      model: this.options.model ?? 'default',
      stream: true,
      ...(chat ? { messages } : { prompt }),
      max_tokens: settings.maxTokens,
      temperature: settings.temperature,
      top_p: settings.topP,
      seed: settings.seed,
      stop: settings.stop?.length ? settings.stop : undefined,
    };
    const idleMs = this.options.idleTimeoutMs ?? 30_000;
    const { response, deadline } = await this.connect(
      chat ? '/v1/chat/completions' : '/v1/completions',
      body,
      request.signal,
    );
    let text = '';
    let finish: FinishReason = 'stop';
    let firstTokenMs = 0;
    let usage = { promptTokens: 0, completionTokens: 0 };
    try {
      for await (const data of sseData(response.body as unknown as AsyncIterable<Uint8Array>)) {
        // Role-only and keep-alive chunks before the first token do not move the first-token deadline.
        if (firstTokenMs) deadline.arm(idleMs, `the engine sent nothing for ${idleMs} ms mid-stream`);
        if (data === '[DONE]') break;
        let chunk: { choices?: ChunkChoice[]; usage?: { prompt_tokens?: number; completion_tokens?: number } };
        try {
          chunk = JSON.parse(data);
        } catch {
          throw new EngineError(
            'engine_bad_response',
            `the engine sent a chunk that is not JSON: ${data.slice(0, 100)}`,
          );
        }
        const choice = chunk.choices?.[0];
        const delta = choice?.delta?.content ?? choice?.text ?? '';
        if (delta) {
          if (!firstTokenMs) {
            firstTokenMs = performance.now() - started;
            deadline.arm(idleMs, `the engine sent nothing for ${idleMs} ms mid-stream`);
          }
          text += delta;
          yield { type: 'delta', text: delta };
        }
        if (choice?.finish_reason) finish = choice.finish_reason === 'length' ? 'length' : 'stop';
        if (chunk.usage)
          usage = {
            promptTokens: chunk.usage.prompt_tokens ?? 0,
            completionTokens: chunk.usage.completion_tokens ?? 0,
          };
      }
    } catch (error) {
      if (request.signal?.aborted) finish = 'cancelled';
      else if (deadline.reason) throw new EngineError('engine_timeout', deadline.reason, { cause: error });
      else if (error instanceof EngineError) throw error;
      else
        throw new EngineError('engine_unavailable', `the engine stream broke: ${(error as Error).message}`, {
          cause: error,
        });
    } finally {
      deadline.clear();
    }
    yield {
      type: 'end',
      text,
      finishReason: finish,
      usage,
      timings: { firstTokenMs, totalMs: performance.now() - started },
    };
  }

  async score(): Promise<number> {
    throw new EngineError('engine_unsupported', `${this.name} does not offer scoring`);
  }

  async close(): Promise<void> {
    // Nothing held: each request is its own HTTP exchange.
  }

  /**
   * POSTs with the first-token deadline armed (it stays armed on the returned stream until its
   * first token); retries connection failures and 429/5xx with backoff.
   */
  private async connect(
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<{ response: Response; deadline: StreamDeadline }> {
    const attempts = (this.options.retries ?? 2) + 1;
    const firstTokenMs = this.options.firstTokenTimeoutMs ?? 60_000;
    let last: EngineError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
      const deadline = new StreamDeadline();
      deadline.arm(firstTokenMs, `no first token from the engine within ${firstTokenMs} ms`);
      const timeout = deadline.controller.signal;
      try {
        const response = await fetch(`${this.base}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body: JSON.stringify(body),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        if (response.ok && response.body) return { response, deadline };
        deadline.clear();
        const detail = (await response.text().catch(() => '')).slice(0, 300);
        last = new EngineError(codeForStatus(response.status), `the engine answered ${response.status}: ${detail}`);
        if (last.code === 'engine_rejected') throw last;
      } catch (error) {
        deadline.clear();
        if (error instanceof EngineError && error.code === 'engine_rejected') throw error;
        if (signal?.aborted) throw new EngineError('engine_cancelled', 'cancelled before the first token');
        if (!(error instanceof EngineError))
          last = new EngineError(
            timeout.aborted ? 'engine_timeout' : 'engine_unavailable',
            `cannot reach the engine at ${this.base}: ${(error as Error).message}`,
            { cause: error },
          );
      }
    }
    throw last ?? new EngineError('engine_unavailable', 'the engine could not be reached');
  }
}
