import { EmbedderError } from './embedder.errors';
import { type Embedder, normalize } from './embedder.port';

export interface OpenAiEmbedderOptions {
  /** Base URL of the server, with or without /v1 (Ollama: http://host:11434, vLLM: http://host:8000). */
  url: string;
  /** The served model's name; it is also the id stored with every vector (`openai:<model>`). */
  model: string;
  apiKey?: string;
  /** Expected vector width; checked on every answer. Unset: learned from a probe in `connect`. */
  dimensions?: number;
  /** Texts per request. */
  batchSize?: number;
  /** Milliseconds one request may take, connecting included. */
  timeoutMs?: number;
  /** Extra attempts when the server is unreachable or overloaded (never for a refused request). */
  retries?: number;
}

interface EmbeddingsResponse {
  data?: { embedding?: unknown; index?: number }[];
}

/**
 * Any OpenAI-compatible `/v1/embeddings` server (Ollama, vLLM, text-embeddings-inference, the
 * OpenAI API) as the embedder: texts go in batches, each answer is checked (one finite vector of
 * the expected width per text, in `index` order) and normalized, so cosine stays a dot product.
 */
export class OpenAiEmbedderAdapter implements Embedder {
  readonly id: string;
  private readonly base: string;
  private width?: number;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.base = options.url.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.id = `openai:${options.model}`;
    this.width = options.dimensions;
  }

  /**
   * The adapter, ready: without configured dimensions, one probe request learns them (and shows
   * at start-up, not at the first turn, that the server answers).
   */
  static async connect(options: OpenAiEmbedderOptions): Promise<OpenAiEmbedderAdapter> {
    const adapter = new OpenAiEmbedderAdapter(options);
    if (adapter.width === undefined) await adapter.embed(['probe']);
    return adapter;
  }

  get dimensions(): number {
    if (this.width === undefined)
      throw new EmbedderError(
        'embedder_invalid',
        `${this.id}: dimensions unknown before the first answer (use connect())`,
      );
    return this.width;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const batch = this.options.batchSize ?? 64;
    for (let start = 0; start < texts.length; start += batch)
      out.push(...(await this.request(texts.slice(start, start + batch))));
    return out;
  }

  private async request(texts: string[]): Promise<Float32Array[]> {
    const retries = this.options.retries ?? 1;
    for (let attempt = 0; ; attempt++) {
      try {
        return this.parse(await this.post(texts), texts.length);
      } catch (error) {
        const retryable =
          error instanceof EmbedderError &&
          (error.code === 'embedder_unavailable' || error.code === 'embedder_timeout');
        if (!retryable || attempt >= retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      }
    }
  }

  private async post(texts: string[]): Promise<EmbeddingsResponse> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const where = `${this.base}/v1/embeddings`;
    let response: Response;
    try {
      response = await fetch(where, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.options.model, input: texts, encoding_format: 'float' }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new EmbedderError('embedder_timeout', `${where} did not answer within ${timeoutMs} ms`, { cause: error });
      throw new EmbedderError('embedder_unavailable', `${where} is unreachable: ${causeOf(error)}`, { cause: error });
    }
    const body = await response.text().catch((error: Error) => {
      throw new EmbedderError('embedder_unavailable', `${where} broke off its answer: ${error.message}`, {
        cause: error,
      });
    });
    if (!response.ok) {
      const code = response.status === 429 || response.status >= 500 ? 'embedder_unavailable' : 'embedder_rejected';
      throw new EmbedderError(code, `${where} answered ${response.status}: ${body.slice(0, 200)}`);
    }
    try {
      return JSON.parse(body) as EmbeddingsResponse;
    } catch (error) {
      throw new EmbedderError(
        'embedder_invalid_response',
        `${where} answered with something other than JSON: ${body.slice(0, 100)}`,
        { cause: error },
      );
    }
  }

  private parse(response: EmbeddingsResponse, count: number): Float32Array[] {
    const invalid = (problem: string) => new EmbedderError('embedder_invalid_response', `${this.id}: ${problem}`);
    if (!Array.isArray(response.data) || response.data.length !== count) {
      throw invalid(
        `expected ${count} embeddings, got ${Array.isArray(response.data) ? response.data.length : 'no data array'}`,
      );
    }
    // Servers may answer out of order; `index` says which input each vector belongs to.
    const ordered = response.data.every((d) => Number.isInteger(d.index))
      ? [...response.data].sort((a, b) => a.index! - b.index!)
      : response.data;
    return ordered.map((entry, i) => {
      const values = entry.embedding;
      if (
        !Array.isArray(values) ||
        values.length === 0 ||
        !values.every((v) => typeof v === 'number' && Number.isFinite(v))
      ) {
        throw invalid(`embedding ${i} is not an array of finite numbers`);
      }
      this.width ??= values.length;
      if (values.length !== this.width)
        throw invalid(`embedding ${i} has ${values.length} dimensions, expected ${this.width}`);
      return normalize(Float32Array.from(values as number[]));
    });
  }
}

/** Node's fetch hides the socket error (ECONNREFUSED…) in `cause`; that is the useful part. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
