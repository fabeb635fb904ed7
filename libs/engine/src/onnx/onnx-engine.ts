import type * as ort from 'onnxruntime-node';
import {
  type BlankInfillingLayout,
  type BlankInfillingTokens,
  blankInfillingLayout,
  twoDimensionalPositions,
} from '@zhibing/kernels';
import { encodeLiteral } from '@zhibing/prompt';
import { EngineError } from '../engine.errors';
import type { Engine, EngineCapabilities, FinishReason, GenerationEvent, GenerationRequest } from '../engine.port';
import { logProbability } from '../generation/logits-processors';
import { StoppingCriteria } from '../generation/stopping-criteria';
import { MoeRoutingCounter } from './moe-routing-counter';
import {
  type KvArray,
  ownRows,
  packedBatchRow,
  packRowSources,
  restoreRow,
  type RowSource,
  SequenceCache,
} from './sequence-cache';
import { stepWindow } from './step-window';
import { TokenCountCache } from './token-count-cache';
import type { ModelFolder } from './model-folder';
import { DecoderIo } from './decoder-io';
import type { ModelPrompt } from './model-prompt';
import { type HfTokenizer, loadOnnxModel, type OnnxEngineOptions } from './load-onnx-model';
import { endSequence, failing, failSequence, newSequence, type Sequence, streamToken } from './generation-sequence';

/** About one long persona prompt: on the tiny models a prefill of this size takes tens of ms on one core. */
const DEFAULT_PREFILL_TOKENS_PER_STEP = 512;

/**
 * GLM / GLM-MoE on onnxruntime-node; the only file that runs sessions. Requests arriving
 * together are prefilled in one call (padded to the longest), then join the decode batch: every
 * step runs ONE session call for all active sequences (their KV caches padded into one batch:
 * left for naive graphs, right for GroupQueryAttention), so concurrent conversations
 * share the model instead of queueing. Seeded sampling, UTF-8-safe streaming, cancellation
 * between steps (the sequence leaves the batch and its cache is freed at once).
 */
export class OnnxEngine implements Engine {
  readonly name: string;
  readonly capabilities: EngineCapabilities;
  private readonly waiting: { sequence: Sequence; promptIds: number[] }[] = [];
  private readonly active: Sequence[] = [];
  private loop: Promise<void> | null = null;
  private stepsRun = 0;
  private prefillsRun = 0;
  /**
   * The decode batch's KV cache as the last step returned it, already packed. While the batch
   * keeps the same members it is fed straight back as the next step's past, so a step copies
   * nothing; sequences' own caches are brought up to date only when the batch changes.
   */
  private packed: { members: Sequence[]; past: Record<string, ort.Tensor>; width: number } | null = null;
  private readonly routing: MoeRoutingCounter;
  /** The folder decides the prompt: format, literal encoding against all its specials, stop ids. */
  private readonly prompt: ModelPrompt;
  /** The mask and `<sop>` ids, for models with GLM's 2-D positions (null for 1-D models). */
  private readonly blankTokens: BlankInfillingTokens | null;
  private readonly tokenCounts = new TokenCountCache((text) => encodeLiteral(this.prompt.literal, text).length);

  private constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    private readonly session: ort.InferenceSession,
    private readonly folder: ModelFolder,
    private readonly tokenizer: HfTokenizer,
    prompt: ModelPrompt,
    /** The graph's I/O element types (float16 caches and logits of exports). */
    private readonly io: DecoderIo,
    /** Prompt tokens (padding included) prefilled between two decode steps; see admit(). */
    private readonly prefillBudget: number,
    /** False: one prompt per prefill call even where the graph could take several (a benchmark baseline). */
    private readonly batchedPrefill: boolean,
  ) {
    this.name = `onnx:${folder.config.zhibing?.preset ?? folder.name}`;
    this.routing = new MoeRoutingCounter(folder.config.n_routed_experts);
    this.prompt = prompt;
    const id = (token: string) => tokenizer.token_to_id(token);
    this.blankTokens = twoDimensionalPositions(folder.config)
      ? { masks: ['[MASK]', '[sMASK]', '[gMASK]'].map(id).filter((m) => m !== undefined), sop: id('<sop>') }
      : null;
    const format = this.prompt.format;
    this.capabilities = {
      blankInfilling: format === 'glm',
      scoring: true,
      contextLength: folder.config.max_position_embeddings,
      promptFormat: format,
    };
  }

  /** Loads a model folder; errors name the file. `device: 'cuda'` needs the CUDA build of onnxruntime-node. */
  static async load(options: OnnxEngineOptions): Promise<OnnxEngine> {
    const model = await loadOnnxModel(options);
    const budget = options.prefillTokensPerStep ?? DEFAULT_PREFILL_TOKENS_PER_STEP;
    const batched = options.batchedPrefill ?? true;
    const { session, folder, tokenizer, prompt, io } = model;
    return new OnnxEngine(model.ort, session, folder, tokenizer, prompt, io, budget, batched);
  }

  /** Sequences whose KV cache is alive right now. */
  get liveCaches(): number {
    return this.active.length;
  }

  /**
   * Fused graphs (GroupQueryAttention) read each row's length from the mask and expect rows
   * padded on the right; the naive graph takes left-padded rows with per-row positions.
   */
  private get rightPadded(): boolean {
    return this.folder.padding === 'right';
  }

  /**
   * Whether prompts arriving together share one prefill call. Left-padded rows end on the last
   * column, whose logits every graph gives; right-padded rows (GroupQueryAttention) end at their
   * own lengths, so only a graph that gives each row its own last token's logits can take them.
   */
  private get prefillsTogether(): boolean {
    return this.batchedPrefill && (!this.rightPadded || this.io.perRowLogits);
  }

  /** Tokens routed to each expert of each MoE layer since start: [{ layer, counts }]. */
  routingCounts(): { layer: number; counts: number[] }[] {
    return this.routing.snapshot();
  }

  /** Session calls made for decode steps so far (a batched step counts once). */
  get decodeSteps(): number {
    return this.stepsRun;
  }

  /** Session calls made for prefills of generate() so far (prompts prefilled together count once). */
  get prefillCalls(): number {
    return this.prefillsRun;
  }

  countTokens(value: string): number {
    return this.tokenCounts.get(value);
  }

  generate(request: GenerationRequest): AsyncIterable<GenerationEvent> {
    const config = this.folder.config;
    let promptIds: number[];
    try {
      // Segments and message content stay literal; a raw prompt string is trusted (see ModelPrompt).
      promptIds = this.prompt.encode(request);
    } catch (error) {
      return failing(error);
    }
    const settings = request.settings ?? {};
    const stops = this.prompt.stops(settings);
    const maxTokens = Math.min(settings.maxTokens ?? 128, config.max_position_embeddings - promptIds.length);
    if (maxTokens <= 0)
      return failing(
        new EngineError(
          'prompt_too_large',
          `the prompt has ${promptIds.length} tokens; the model's context is ${config.max_position_embeddings}`,
        ),
      );
    const sequence = newSequence({
      cache: new SequenceCache(config.num_hidden_layers, config.num_key_value_heads, config.head_dim, this.io.halfKv),
      settings,
      stopping: new StoppingCriteria(stops.ids, stops.strings, maxTokens),
      decode: (ids) => this.tokenizer.decode(ids, { skip_special_tokens: true }),
      promptTokens: promptIds.length,
      signal: request.signal,
      layout: this.layoutOf(promptIds),
    });
    this.waiting.push({ sequence, promptIds });
    // Started on the next turn of the event loop, so requests arriving together (in one tick, or
    // in one batch of worker messages) are prefilled together from the first step.
    this.loop ??= new Promise((resolve) => setImmediate(resolve)).then(() => this.run());
    return sequence.events;
  }

  /**
   * The scheduler: admit (prefill) waiting requests, then one batched decode step, until idle.
   * It clears `loop` in the same tick as it sees no work, so a request arriving later starts a
   * new loop and none is ever left waiting.
   */
  private async run(): Promise<void> {
    for (;;) {
      if (this.waiting.length === 0 && this.active.length === 0) {
        this.loop = null;
        return;
      }
      if (this.waiting.length > 0) {
        // Prefill waiting requests in one call (prompts padded to the longest: left for naive
        // graphs, right for fused ones), as many as the prefill budget holds: the rest wait for
        // the next step, so that one step's stall for the streams already decoding stays about
        // one budget's prefill however many arrive.
        const admitted = this.admit();
        // A fused graph without per-row logits (built before them) takes one prompt per call.
        const groups = this.prefillsTogether ? [admitted] : admitted.map((a) => [a]);
        for (const group of groups) {
          let logits: Float32Array[];
          try {
            logits = await this.forward(
              group.map((a) => a.sequence),
              group.map((a) => a.promptIds),
            );
            this.prefillsRun++;
          } catch (error) {
            // One bad prompt must not fail the prompts batched with it: prefill those one by one.
            if (group.length > 1) groups.push(...group.map((a) => [a]));
            else this.fail(group[0].sequence, error);
            continue;
          }
          group.forEach(({ sequence }, row) => {
            try {
              if (this.accept(sequence, logits[row])) this.active.push(sequence);
            } catch (error) {
              this.fail(sequence, error);
            }
          });
        }
      }
      for (const sequence of [...this.active]) {
        if (sequence.signal?.aborted) this.finish(sequence, 'cancelled');
      }
      if (this.active.length === 0) continue;
      for (const batch of [[...this.active]]) {
        try {
          const logits = await this.forward(
            batch,
            batch.map((s) => [s.generated[s.generated.length - 1]]),
            true,
          );
          this.stepsRun++;
          // A sequence that ends leaves the active set inside finish().
          batch.forEach((sequence, row) => this.accept(sequence, logits[row]));
        } catch (error) {
          for (const sequence of batch) {
            this.fail(sequence, error);
          }
        }
      }
    }
  }

  /** The next waiting requests (first come, first served) whose padded prompts fit the prefill budget; at least one. */
  private admit(): { sequence: Sequence; promptIds: number[] }[] {
    let longest = 0;
    let count = 0;
    for (const { promptIds } of this.waiting) {
      const padded = Math.max(longest, promptIds.length) * (count + 1);
      if (count > 0 && padded > this.prefillBudget) break;
      longest = Math.max(longest, promptIds.length);
      count++;
    }
    return this.waiting.splice(0, count);
  }

  /** Samples the next token of a sequence, streams its text; false when the sequence has ended. */
  private accept(sequence: Sequence, logits: Float32Array): boolean {
    const stop = streamToken(sequence, logits);
    return stop ? this.finish(sequence, stop) : true;
  }

  private finish(sequence: Sequence, reason: FinishReason): false {
    this.leave(sequence);
    endSequence(sequence, reason);
    return false;
  }

  private fail(sequence: Sequence, error: unknown): void {
    this.leave(sequence);
    failSequence(sequence, error);
  }

  /** Takes a sequence out of the decode batch (one that already ended this step is gone: no splice(-1)). */
  private leave(sequence: Sequence): void {
    const index = this.active.indexOf(sequence);
    if (index >= 0) this.active.splice(index, 1);
  }

  /**
   * One session call for several sequences: each row's new tokens, its past KV left-padded to
   * the longest, masks and positions per row. Updates every cache; returns each row's last logits.
   */
  private async forward(sequences: Sequence[], inputs: number[][], decodeBatch = false): Promise<Float32Array[]> {
    const { num_hidden_layers: layers, num_key_value_heads: kvh, head_dim: d, vocab_size: vocab } = this.folder.config;
    const batch = sequences.length;
    const width = Math.max(...inputs.map((ids) => ids.length));
    const reuse = decodeBatch && this.packed !== null && sameMembers(this.packed.members, sequences);
    const pastMax = reuse ? this.packed!.width : Math.max(...sequences.map((s) => s.cache.length));
    // Pads are masked out; an export's config may name a pad id outside its vocabulary (GLM's default).
    const padId = this.folder.config.pad_token_id < vocab ? this.folder.config.pad_token_id : 0;
    const right = this.rightPadded;
    const twoD = this.blankTokens !== null;
    const rows = sequences.map((s, b) => ({ past: s.cache.length, input: inputs[b], layout: s.layout }));
    const { ids, mask, positions, prefix, total } = stepWindow(rows, { pastMax, width, padId, right, twoD });
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new this.ort.Tensor('int64', ids, [batch, width]),
      attention_mask: new this.ort.Tensor('int64', mask, [batch, total]),
    };
    const positionDims = twoD ? [batch, 2, width] : [batch, width];
    if (this.io.positionIds) feeds.position_ids = new this.ort.Tensor('int64', positions, positionDims);
    if (prefix) feeds.prefix_mask = new this.ort.Tensor('int64', prefix, [batch, total]);
    if (reuse) Object.assign(feeds, this.packed!.past);
    else {
      // Rows of members of the last decode batch come from its packed cache, the others (just
      // prefilled, or a prefill or score call) from their own caches.
      const sources = sequences.map((s) => this.packedRow(s) ?? ownRows(s.cache));
      const shape = { layers, kvHeads: kvh, headDim: d, half: this.io.halfKv };
      const packed = packRowSources(sources, shape, pastMax, right ? 'right' : 'left');
      if (decodeBatch) {
        // From now on the batch's packed cache holds these rows; the sequences' own copies go.
        this.packed = null;
        for (const sequence of sequences) sequence.cache.release();
      }
      for (let i = 0; i < layers; i++) {
        feeds[`past_key_values.${i}.key`] = this.io.pastTensor(this.ort, packed.keys[i], [batch, kvh, pastMax, d]);
        feeds[`past_key_values.${i}.value`] = this.io.pastTensor(this.ort, packed.values[i], [batch, kvh, pastMax, d]);
      }
    }
    let outputs: Record<string, ort.Tensor>;
    try {
      outputs = (await this.session.run(feeds)) as Record<string, ort.Tensor>;
    } catch (error) {
      throw new EngineError('engine_failed', `onnxruntime failed: ${(error as Error).message}`, { cause: error });
    }
    this.routing.add(outputs, sequences.length, width, inputs, right);
    // Our graphs give each row's last token ([batch, 1, vocab]); exports every position, maybe float16.
    const lastColumns = inputs.map((ids) => (right ? ids.length - 1 : width - 1));
    const logits = this.io.lastLogits(outputs.logits, batch, vocab, lastColumns);
    if (decodeBatch) {
      // Keep the step's present as the next step's past; caches only track their lengths.
      const past: Record<string, ort.Tensor> = {};
      for (let i = 0; i < layers; i++)
        for (const kind of ['key', 'value']) past[`past_key_values.${i}.${kind}`] = outputs[`present.${i}.${kind}`];
      this.packed = { members: [...sequences], past, width: total };
      sequences.forEach((sequence, b) => {
        if (!sequence.cache.disposed) sequence.cache.length += inputs[b].length;
      });
      return logits;
    }
    const present = (i: number) => ({
      key: outputs[`present.${i}.key`].data as KvArray,
      value: outputs[`present.${i}.value`].data as KvArray,
    });
    return sequences.map((sequence, b) => {
      if (!sequence.cache.disposed) {
        // Keep the row's real positions: left layout [pads][past][new] (prefill batches start
        // empty, so all their padding leads), right layout [past][new][pads] (a right-padded
        // prompt's pads sit after its own length: decode continues each row from there).
        const keep = sequence.cache.length + inputs[b].length;
        restoreRow(sequence.cache, present, total, b, right ? 0 : total - keep, keep);
      }
      return logits[b];
    });
  }

  /** Where a member of the last decode batch has its cache: its row of the packed batch cache. */
  private packedRow(sequence: Sequence): RowSource | null {
    const row = this.packed?.members.indexOf(sequence) ?? -1;
    if (row < 0) return null;
    const { past, width } = this.packed!;
    return packedBatchRow(past, width, row, sequence.cache.length, this.rightPadded ? 'right' : 'left');
  }

  async score(prompt: string, continuation: string): Promise<number> {
    // Scored prompts are made of user and knowledge text (the reranker's): literal, like the continuation.
    const promptIds = encodeLiteral(this.prompt.literal, prompt);
    const continuationIds = encodeLiteral(this.prompt.literal, continuation);
    let total = 0;
    const config = this.folder.config;
    const cache = new SequenceCache(
      config.num_hidden_layers,
      config.num_key_value_heads,
      config.head_dim,
      this.io.halfKv,
    );
    const probe = { cache, layout: this.layoutOf(promptIds) } as Sequence;
    // Token by token through the cache: the log-probability of each continuation token given all before it.
    let logits = (await this.forward([probe], [promptIds]))[0];
    for (const id of continuationIds) {
      total += logProbability(logits, id);
      logits = (await this.forward([probe], [[id]]))[0];
    }
    cache.dispose();
    return total;
  }

  async close(): Promise<void> {
    await this.loop;
    await this.session.release();
  }

  /** GLM blank infilling: the prompt's blank and span, for 2-D models; null for plain text or 1-D models. */
  private layoutOf(promptIds: number[]): BlankInfillingLayout | null {
    return this.blankTokens ? blankInfillingLayout(promptIds, this.blankTokens) : null;
  }
}

function sameMembers(a: Sequence[], b: Sequence[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
