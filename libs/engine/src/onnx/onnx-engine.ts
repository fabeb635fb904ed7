import type * as ort from 'onnxruntime-node';
import { encodeLiteral, encodePrompt, type PromptTokenizer, special, text } from '@zhibing/prompt';
import { EngineError, ModelFolderError } from '../engine.errors';
import type { Engine, EngineCapabilities, FinishReason, GenerationEvent, GenerationRequest } from '../engine.port';
import { logProbability } from '../generation/logits-processors';
import { StoppingCriteria } from '../generation/stopping-criteria';
import { StreamingDetokenizer } from '../generation/streaming-detokenizer';
import { TokenSampler } from '../generation/token-sampler';
import { KvCache } from './kv-cache';
import { checkModelInputs, type ModelFolder, readModelFolder } from './model-folder';

type HfTokenizer = {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
  token_to_id(token: string): number | undefined;
};

export interface OnnxEngineOptions {
  modelDir: string;
  device?: 'cpu' | 'cuda';
}

/**
 * GLM / GLM-MoE on onnxruntime-node. The only file that runs sessions: prefill, then one token
 * per step with the KV cache; seeded sampling; UTF-8-safe streaming; cancellation between steps.
 * Requests run one at a time (batched decoding across requests is the next step, see README).
 */
export class OnnxEngine implements Engine {
  readonly name: string;
  readonly capabilities: EngineCapabilities;
  private queue: Promise<void> = Promise.resolve();
  private activeCaches = 0;

  private constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly session: ort.InferenceSession,
    private readonly folder: ModelFolder,
    private readonly tokenizer: HfTokenizer,
  ) {
    this.name = `onnx:${folder.config.zhibing?.preset ?? folder.name}`;
    const hasMask = tokenizer.token_to_id('[MASK]') !== undefined && tokenizer.token_to_id('<sop>') !== undefined;
    this.capabilities = { blankInfilling: hasMask, scoring: true, contextLength: folder.config.max_position_embeddings, promptFormat: hasMask ? 'glm' : 'messages' };
  }

  /** Loads a model folder; errors name the file. `device: 'cuda'` needs the CUDA build of onnxruntime-node. */
  static async load(options: OnnxEngineOptions): Promise<OnnxEngine> {
    const folder = readModelFolder(options.modelDir);
    const ortModule = await import('onnxruntime-node');
    let session: ort.InferenceSession;
    try {
      session = await ortModule.InferenceSession.create(folder.modelPath, { executionProviders: options.device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'] });
    } catch (error) {
      throw new ModelFolderError(folder.modelPath, `onnxruntime could not load it (${(error as Error).message})`);
    }
    const metadata = (session as unknown as { inputMetadata?: { name: string; shape?: (number | string)[] }[] }).inputMetadata;
    checkModelInputs(folder, session.inputNames, (name) => metadata?.find?.((m) => m.name === name)?.shape);
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const tokenizer = new Tokenizer(folder.tokenizerJson, {}) as unknown as HfTokenizer;
    return new OnnxEngine(ortModule, session, folder, tokenizer);
  }

  /** Sequences whose KV cache is alive right now. */
  get liveCaches(): number {
    return this.activeCaches;
  }

  countTokens(value: string): number {
    return encodeLiteral(this.promptTokenizer, value).length;
  }

  async *generate(request: GenerationRequest): AsyncIterable<GenerationEvent> {
    const started = performance.now();
    const release = await this.acquire();
    const cache = new KvCache(this.ort, this.folder.config.num_hidden_layers, this.folder.config.num_key_value_heads, this.folder.config.head_dim);
    this.activeCaches++;
    try {
      const promptIds = this.encodeRequest(request);
      const settings = request.settings ?? {};
      const maxTokens = Math.min(settings.maxTokens ?? 128, this.folder.config.max_position_embeddings - promptIds.length);
      if (maxTokens <= 0) throw new EngineError('prompt_too_large', `the prompt has ${promptIds.length} tokens; the model's context is ${this.folder.config.max_position_embeddings}`);
      const sampler = new TokenSampler({ temperature: settings.temperature ?? 0, topK: settings.topK ?? 0, topP: settings.topP ?? 1, repetitionPenalty: settings.repetitionPenalty ?? 1, seed: settings.seed ?? 0 });
      const stopping = new StoppingCriteria(new Set(this.folder.config.eos_token_id), settings.stop ?? [], maxTokens);
      const detokenizer = new StreamingDetokenizer((ids) => this.tokenizer.decode(ids, { skip_special_tokens: true }));
      const generated: number[] = [];
      let input = promptIds;
      let firstTokenMs = 0;
      let finish: FinishReason = 'length';
      let sent = '';
      for (;;) {
        if (request.signal?.aborted) {
          finish = 'cancelled';
          break;
        }
        const logits = await this.step(cache, input);
        const id = sampler.next(logits, generated);
        generated.push(id);
        detokenizer.push(generated);
        const stop = stopping.check(id, generated.length, detokenizer.text);
        // Text up to a stop string is kept; an incomplete character is flushed only at the end.
        if (stop?.reason === 'length') detokenizer.flush(generated);
        const visible = stop?.reason === 'stop' ? stop.text : detokenizer.text;
        const delta = visible.startsWith(sent) ? visible.slice(sent.length) : '';
        if (delta) {
          if (!firstTokenMs) firstTokenMs = performance.now() - started;
          sent += delta;
          yield { type: 'delta', text: delta };
        }
        if (stop) {
          finish = stop.reason;
          break;
        }
        input = [id];
      }
      const finalText = sent;
      yield { type: 'end', text: finalText, finishReason: finish, usage: { promptTokens: promptIds.length, completionTokens: generated.length }, timings: { firstTokenMs, totalMs: performance.now() - started } };
    } finally {
      cache.dispose();
      this.activeCaches--;
      release();
    }
  }

  async score(prompt: string, continuation: string): Promise<number> {
    const release = await this.acquire();
    const cache = new KvCache(this.ort, this.folder.config.num_hidden_layers, this.folder.config.num_key_value_heads, this.folder.config.head_dim);
    try {
      const promptIds = this.tokenizer.encode(prompt, { add_special_tokens: false }).ids;
      const continuationIds = encodeLiteral(this.promptTokenizer, continuation);
      const all = [...promptIds, ...continuationIds];
      const outputs = await this.run(cache, all);
      const vocab = this.folder.config.vocab_size;
      const logits = outputs.logits.data as Float32Array;
      let total = 0;
      continuationIds.forEach((id, i) => {
        const position = promptIds.length + i - 1;
        total += logProbability(logits.subarray(position * vocab, (position + 1) * vocab), id);
      });
      return total;
    } finally {
      cache.dispose();
      release();
    }
  }

  async close(): Promise<void> {
    await this.queue;
    await this.session.release();
  }

  private get promptTokenizer(): PromptTokenizer {
    return { encode: (t) => this.tokenizer.encode(t, { add_special_tokens: false }).ids, tokenToId: (t) => this.tokenizer.token_to_id(t) };
  }

  /** Segments keep user text literal; a raw prompt string is trusted; messages use the GLM-4 chat layout. */
  private encodeRequest(request: GenerationRequest): number[] {
    if (request.segments) return encodePrompt(this.promptTokenizer, request.segments as Parameters<typeof encodePrompt>[1]);
    if (request.prompt !== undefined) return this.tokenizer.encode(request.prompt, { add_special_tokens: false }).ids;
    const segments = [special('[gMASK]'), special('<sop>')];
    for (const message of request.messages ?? []) segments.push(special(`<|${message.role}|>` as '<|user|>'), text(`\n${message.content}`));
    segments.push(special('<|assistant|>'), text('\n'));
    return encodePrompt(this.promptTokenizer, segments);
  }

  /** One forward pass: returns the logits of the last position and advances the cache. */
  private async step(cache: KvCache, ids: number[]): Promise<Float32Array> {
    const outputs = await this.run(cache, ids);
    const vocab = this.folder.config.vocab_size;
    const logits = outputs.logits.data as Float32Array;
    return logits.slice(logits.length - vocab);
  }

  private async run(cache: KvCache, ids: number[]): Promise<Record<string, ort.Tensor>> {
    const past = cache.length;
    const total = past + ids.length;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new this.ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      attention_mask: new this.ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new this.ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(past + i))), [1, ids.length]),
      ...cache.feeds(),
    };
    let outputs: Record<string, ort.Tensor>;
    try {
      outputs = (await this.session.run(feeds)) as Record<string, ort.Tensor>;
    } catch (error) {
      throw new EngineError('engine_failed', `onnxruntime failed: ${(error as Error).message}`, { cause: error });
    }
    cache.update(outputs, total);
    return outputs;
  }

  /** One generation at a time: resolves with a release function when the engine is free. */
  private acquire(): Promise<() => void> {
    let release!: () => void;
    const free = new Promise<void>((resolve) => (release = resolve));
    const ready = this.queue.then(() => release);
    this.queue = this.queue.then(() => free);
    return ready;
  }
}

/** The factory the gateway and CLI call. */
export function createOnnxEngine(options: OnnxEngineOptions): Promise<OnnxEngine> {
  return OnnxEngine.load(options);
}
