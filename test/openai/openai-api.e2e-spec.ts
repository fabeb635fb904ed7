import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { buildModelFolder } from '@zhibing/kernels';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { connectChat } from '../support/chat-client';
import { testDatabases } from '../support/test-databases';

describe('OpenAI-compatible API over the onnx engine, and a second gateway using it as its remote engine', () => {
  const database = testDatabases()[0];
  const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-openai-model-'));
  let serving: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: modelDir });
    serving = await startTestApp(database, { ZHIBING_ENGINE: 'onnx', ZHIBING_MODEL_DIR: modelDir });
    client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: TEST_ADMIN_KEY, maxRetries: 0 });
  });
  afterAll(async () => {
    await serving?.close();
    fs.rmSync(modelDir, { recursive: true, force: true });
  });

  it("lists the workspace's personas and the engine as models", async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['hua-zhibing', 'front-desk', 'interviewer']));
    expect(ids[ids.length - 1]).toBe('onnx:tiny-moe');
    expect(models.data.find((m) => m.id === 'hua-zhibing')?.owned_by).not.toBe('zhibing');
  });

  it('the official openai client streams a chat completion; the same seed unstreamed gives the same text', async () => {
    const params = {
      model: 'onnx:tiny-moe',
      messages: [{ role: 'user' as const, content: '谷爱凌是谁？' }],
      max_tokens: 24,
      temperature: 0.8,
      seed: 3,
    };
    const stream = await client.chat.completions.create({ ...params, stream: true });
    let streamed = '';
    let finish: string | null = null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      streamed += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(['stop', 'length']).toContain(finish);
    const whole = await client.chat.completions.create(params);
    expect(whole.choices[0].message.content).toBe(streamed);
    expect(whole.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('serves text completions', async () => {
    const completion = await client.completions.create({
      model: 'onnx:tiny-moe',
      prompt: '故宫',
      max_tokens: 8,
      temperature: 0,
    });
    expect(completion.object).toBe('text_completion');
    expect(typeof completion.choices[0].text).toBe('string');
  });

  it('rejects a bad body with a typed error', async () => {
    await expect(client.chat.completions.create({ model: 'x', messages: [] })).rejects.toMatchObject({ status: 400 });
    const raw = await fetch(`${serving.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: '{"messages": []}',
    });
    expect(await raw.json()).toMatchObject({ code: 'validation_invalid' });
  });

  it('a second gateway chats through the first one as its remote engine', async () => {
    const second = await startTestApp(database, {
      ZHIBING_ENGINE: 'remote',
      ZHIBING_REMOTE_URL: serving.url,
      ZHIBING_REMOTE_MODEL: 'onnx:tiny-moe',
      ZHIBING_REMOTE_API_KEY: TEST_ADMIN_KEY,
    });
    const chat = await connectChat(second.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await chat.request('session.start', { personaId: 'front-desk' });
      await chat.request('message', {
        conversationId: data.conversationId,
        clientMessageId: 'r1',
        text: '有停车场吗？',
      });
      const end = await chat.waitFor('reply.end', (p) => p.conversationId === data.conversationId, 30_000);
      expect(['stop', 'length']).toContain(end.finishReason);
      const [, reply] = await second.dataSource.query(
        `SELECT status, trace FROM turns WHERE conversation_id = $1 ORDER BY seq`,
        [data.conversationId],
      );
      expect(reply.status).toBe('complete');
      expect(reply.trace.engine).toBe('remote:onnx:tiny-moe');
      expect(reply.trace.tokens.completionTokens).toBeGreaterThan(0);
    } finally {
      chat.close();
      await second.close();
    }
  });

  it('with no engine, lists only personas; a model that is no persona is 503 engine_not_configured', async () => {
    const plain = await startTestApp(database);
    try {
      const models = await (
        await fetch(`${plain.url}/v1/models`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } })
      ).json();
      expect(models.data.map((m: { id: string }) => m.id)).toContain('hua-zhibing');
      expect(models.data.some((m: { id: string }) => m.id.includes(':'))).toBe(false);
      const response = await fetch(`${plain.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 'engine_not_configured' });
    } finally {
      await plain.close();
    }
  });
});
