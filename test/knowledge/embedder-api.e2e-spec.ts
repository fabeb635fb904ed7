import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { type EmbeddingsServer, startEmbeddingsServer } from '../support/embeddings-server';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('gateway with ZHIBING_EMBEDDER=openai on $name', (database) => {
  let embeddings: EmbeddingsServer;
  let server: TestApp;
  const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    embeddings = await startEmbeddingsServer({ dims: 32 });
    // No ZHIBING_EMBEDDER_DIMENSIONS: the gateway learns the width from a probe at start-up.
    server = await startTestApp(database, {
      ZHIBING_EMBEDDER: 'openai',
      ZHIBING_EMBEDDER_URL: embeddings.url,
      ZHIBING_EMBEDDER_MODEL: 'concepts',
    });
  });
  afterAll(async () => {
    await server?.close();
    await embeddings?.close();
  });

  it('/health names the embedder in use', async () => {
    const health = (await (await fetch(`${server.url}/health`)).json()) as { components: Record<string, unknown> };
    expect(health.components.embedder).toEqual({ status: 'ok', kind: 'openai', id: 'openai:concepts', dimensions: 32 });
  });

  it('imports through the server, selects a paraphrase by its vectors, and reembed skips what is embedded', async () => {
    const file = [
      '{"question":"故宫的门票多少钱？","answer":"旺季60元。"}',
      '{"question":"熊猫吃什么？","answer":"竹子。"}',
    ].join('\n');
    const imported = await fetch(`${server.url}/v1/knowledge-bases/sights/import?format=qa`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-ndjson' },
      body: file,
    });
    expect(imported.status).toBe(201);
    const selected = await fetch(`${server.url}/v1/knowledge-bases/sights/select`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ turns: ['紫禁城入场费几何'], top: 1 }),
    });
    expect(await selected.json()).toMatchObject({
      items: [{ question: '故宫的门票多少钱？', parts: { lexical: 0, dense: expect.any(Number) } }],
    });
    const reembed = await fetch(`${server.url}/v1/knowledge-bases/sights/reembed`, { method: 'POST', headers });
    expect(reembed.status).toBe(200);
    expect(await reembed.json()).toMatchObject({
      knowledgeBase: { name: 'sights' },
      embedder: 'openai:concepts',
      items: 2,
      skipped: 2,
      embedded: 0,
    });
  });

  it('reembed of an unknown base is a 404 problem', async () => {
    const response = await fetch(`${server.url}/v1/knowledge-bases/nowhere/reembed`, { method: 'POST', headers });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'knowledge_base_not_found' });
  });
});
