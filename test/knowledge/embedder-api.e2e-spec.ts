import { connectChat } from '../support/chat-client';
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

  it('a conversation embeds through the same server: each earlier exchange once, each utterance for history and knowledge', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
      const replies: string[] = [];
      const questions = ['谷爱凌是谁？', '冰墩墩是什么？', '你喜欢滑雪吗？'];
      for (const [i, text] of questions.entries()) {
        replies.push((await client.ask(data.conversationId, `e-${i}`, text)).end.text);
      }
      const count = (text: string) => embeddings.received.filter((t) => t === text).length;
      // The first exchange is embedded for the second turn's history and cached for the third.
      expect(count(`${questions[0]}${replies[0]}`)).toBe(1);
      expect(count(`${questions[1]}${replies[1]}`)).toBe(1);
      // The newest utterance: knowledge selection's query (every turn) and history's (once there is history).
      expect(count(questions[2])).toBeGreaterThanOrEqual(2);
    } finally {
      client.close();
    }
  });

  it('the embedding server down: the persona still answers from graph and lexical selection, and the trace says why', async () => {
    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    embeddings.mode = 'status-503';
    try {
      const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
      for (const [i, text] of ['谷爱凌是谁？', '冰墩墩是什么？'].entries()) {
        const { end } = await client.ask(data.conversationId, `down-${i}`, text);
        expect(end.finishReason).toBe('stop');
      }
      const [reply] = await server.dataSource.query(
        `SELECT status, text, trace FROM turns WHERE conversation_id = $1 AND role = 'persona' ORDER BY seq DESC LIMIT 1`,
        [data.conversationId],
      );
      expect(reply.status).toBe('complete');
      expect(reply.text).toContain('冰墩墩');
      expect(reply.trace.degraded).toMatch(/embedder .* failed \(embedder_unavailable\); history by recency only/);
      expect(reply.trace.degraded).toMatch(/selection without dense retrieval/);
      expect(reply.trace.embedder).toMatch(/^openai:/);
    } finally {
      embeddings.mode = 'ok';
      client.close();
    }
  });

  it('reembed of an unknown base is a 404 problem', async () => {
    const response = await fetch(`${server.url}/v1/knowledge-bases/nowhere/reembed`, { method: 'POST', headers });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'knowledge_base_not_found' });
  });
});
