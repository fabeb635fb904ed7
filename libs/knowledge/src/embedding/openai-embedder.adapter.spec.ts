import {
  conceptVector,
  type EmbeddingsServer,
  startEmbeddingsServer,
} from '../../../../test/support/embeddings-server';
import { dot, normalize } from './embedder.port';
import { OpenAiEmbedderAdapter } from './openai-embedder.adapter';

describe('OpenAiEmbedderAdapter against a real /v1/embeddings server', () => {
  let server: EmbeddingsServer;

  beforeEach(async () => {
    server = await startEmbeddingsServer({ dims: 16 });
  });
  afterEach(() => server.close());

  it("learns the width on connect, embeds in batches and returns the server's vectors normalized", async () => {
    const embedder = await OpenAiEmbedderAdapter.connect({
      url: `${server.url}/v1/`,
      model: 'concepts',
      apiKey: 'k-1',
      batchSize: 2,
    });
    expect(embedder).toMatchObject({ id: 'openai:concepts', dimensions: 16 });
    const texts = ['故宫的门票多少钱？', '紫禁城入场费几何', '熊猫', '滑雪'];
    const vectors = await embedder.embed(texts);
    expect(server.requests).toBe(1 + 2);
    expect(server.lastAuthorization).toBe('Bearer k-1');
    expect(server.lastModel).toBe('concepts');
    vectors.forEach((vector, i) => {
      expect(Array.from(vector)).toEqual(Array.from(normalize(Float32Array.from(conceptVector(texts[i], 16)))));
    });
    // The paraphrase shares no character with the question, yet the server's model relates them.
    expect(dot(vectors[0], vectors[1])).toBeGreaterThan(0.9);
    expect(dot(vectors[0], vectors[2])).toBe(0);
  });

  it('puts answers back in input order by their index', async () => {
    const embedder = new OpenAiEmbedderAdapter({ url: server.url, model: 'm', dimensions: 16 });
    const ordered = await embedder.embed(['熊猫', '滑雪']);
    server.mode = 'shuffled';
    expect((await embedder.embed(['熊猫', '滑雪'])).map((v) => Array.from(v))).toEqual(
      ordered.map((v) => Array.from(v)),
    );
  });

  it('embeds nothing without a request', async () => {
    expect(await new OpenAiEmbedderAdapter({ url: server.url, model: 'm', dimensions: 16 }).embed([])).toEqual([]);
    expect(server.requests).toBe(0);
  });

  it.each([
    ['wrong-dims', 'embedder_invalid_response', /15 dimensions, expected 16/],
    ['wrong-count', 'embedder_invalid_response', /expected 2 embeddings, got 1/],
    ['not-json', 'embedder_invalid_response', /other than JSON/],
    ['status-401', 'embedder_rejected', /answered 401/],
  ] as const)('a server answering %s fails with %s, without retrying', async (mode, code, message) => {
    const embedder = new OpenAiEmbedderAdapter({ url: server.url, model: 'm', dimensions: 16, retries: 2 });
    server.mode = mode;
    await expect(embedder.embed(['熊猫', '滑雪'])).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
    expect(server.requests).toBe(1);
  });

  it('retries an overloaded server, then fails with embedder_unavailable', async () => {
    server.mode = 'status-503';
    const embedder = new OpenAiEmbedderAdapter({ url: server.url, model: 'm', dimensions: 16, retries: 1 });
    await expect(embedder.embed(['熊猫'])).rejects.toMatchObject({
      code: 'embedder_unavailable',
      message: expect.stringContaining('503'),
    });
    expect(server.requests).toBe(2);
  });

  it('a server that never answers times out with embedder_timeout', async () => {
    server.mode = 'hang';
    const embedder = new OpenAiEmbedderAdapter({
      url: server.url,
      model: 'm',
      dimensions: 16,
      timeoutMs: 150,
      retries: 0,
    });
    await expect(embedder.embed(['熊猫'])).rejects.toMatchObject({
      code: 'embedder_timeout',
      message: expect.stringContaining('150 ms'),
    });
  });

  it('nothing listening is embedder_unavailable naming the socket error, also at connect', async () => {
    const closed = server.url;
    await server.close();
    server = await startEmbeddingsServer();
    await expect(OpenAiEmbedderAdapter.connect({ url: closed, model: 'm', retries: 0 })).rejects.toMatchObject({
      code: 'embedder_unavailable',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});
