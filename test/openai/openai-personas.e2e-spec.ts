import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import OpenAI from 'openai';
import { buildModelFolder, byteLevelTokenizerJson, GLM_SPECIAL_TOKENS } from '@zhibing/kernels';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

type StoredTurn = { role: string; status: string; text: string; trace: Record<string, unknown> | null };

async function storedConversation(app: TestApp, conversationId: string) {
  const [conversation] = await app.dataSource.query(`SELECT persona_slug, channel FROM conversations WHERE id = $1`, [
    conversationId,
  ]);
  const turns: StoredTurn[] = await app.dataSource.query(
    `SELECT role, status, text, trace FROM turns WHERE conversation_id = $1 ORDER BY seq`,
    [conversationId],
  );
  return { conversation, turns };
}

/** A whole transcript, as Open WebUI sends it: the persona answers the last user message, grounded. */
const transcript = [
  { role: 'system' as const, content: 'You are a helpful assistant.' },
  { role: 'user' as const, content: '你好，你是谁？' },
  { role: 'assistant' as const, content: '我是华智冰，清华大学的虚拟学生。' },
  { role: 'user' as const, content: '谷爱凌是谁？' },
];

describe('personas over the OpenAI-compatible API, with no engine configured (retrieval responder)', () => {
  const database = testDatabases()[0];
  let app: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    app = await startTestApp(database);
    client = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: TEST_ADMIN_KEY, maxRetries: 0 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the official client chats with 华智冰: a grounded answer, stored on channel openai with its trace', async () => {
    const { data: completion, response } = await client.chat.completions
      .create({ model: 'hua-zhibing', messages: transcript })
      .withResponse();
    expect(completion.model).toBe('hua-zhibing');
    const answer = completion.choices[0].message.content ?? '';
    expect(answer).toContain('自由式滑雪');
    expect(completion.choices[0].finish_reason).toBe('stop');

    const conversationId = response.headers.get('x-zhibing-conversation-id')!;
    const { conversation, turns } = await storedConversation(app, conversationId);
    expect(conversation).toEqual({ persona_slug: 'hua-zhibing', channel: 'openai' });
    // The system message is not stored; the client's history is, then the turn that ran here.
    expect(turns.map((t) => [t.role, t.status, t.text])).toEqual([
      ['user', 'complete', '你好，你是谁？'],
      ['persona', 'complete', '我是华智冰，清华大学的虚拟学生。'],
      ['user', 'complete', '谷爱凌是谁？'],
      ['persona', 'complete', answer],
    ]);
    expect(turns[1].trace).toMatchObject({ engine: 'client-transcript' });
    const trace = turns[3].trace as { engine: string; knowledge: { id: string }[]; keptHistory: unknown[] };
    expect(trace.engine).toBe('retrieval');
    expect(trace.knowledge.length).toBeGreaterThan(0);
    expect(trace.keptHistory).toHaveLength(1);
  });

  it('the next request of a chat continues its conversation; a regenerated one branches anew', async () => {
    const first = await client.chat.completions.create({ model: 'hua-zhibing', messages: transcript }).withResponse();
    const conversationId = first.response.headers.get('x-zhibing-conversation-id');
    const next = [
      ...transcript,
      { role: 'assistant' as const, content: first.data.choices[0].message.content ?? '' },
      { role: 'user' as const, content: '她是哪里人？' },
    ];
    const second = await client.chat.completions.create({ model: 'hua-zhibing', messages: next }).withResponse();
    expect(second.response.headers.get('x-zhibing-conversation-id')).toBe(conversationId);
    const { turns } = await storedConversation(app, conversationId!);
    expect(turns.map((t) => t.role)).toEqual(['user', 'persona', 'user', 'persona', 'user', 'persona']);
    expect(turns[4].text).toBe('她是哪里人？');
    expect(turns[5].text).toBe(second.data.choices[0].message.content);

    const regenerated = await client.chat.completions.create({ model: 'hua-zhibing', messages: next }).withResponse();
    expect(regenerated.response.headers.get('x-zhibing-conversation-id')).not.toBe(conversationId);
  });

  it('streams the same reply over SSE', async () => {
    const stream = await client.chat.completions.create({ model: 'hua-zhibing', messages: transcript, stream: true });
    let streamed = '';
    let chunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      chunks++;
      streamed += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(finish).toBe('stop');
    const whole = await client.chat.completions.create({ model: 'hua-zhibing', messages: transcript });
    expect(streamed).toBe(whole.choices[0].message.content);
  });

  it('a transcript not ending with the user is a typed 400; an unknown model without an engine is 503', async () => {
    await expect(
      client.chat.completions.create({ model: 'hua-zhibing', messages: transcript.slice(0, 3) }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(client.chat.completions.create({ model: 'nobody', messages: transcript })).rejects.toMatchObject({
      status: 503,
    });
  });
});

describe('personas over the OpenAI-compatible API, on the onnx engine', () => {
  const database = testDatabases()[0];
  const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-openai-persona-'));
  let app: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: modelDir });
    app = await startTestApp(database, { ZHIBING_ENGINE: 'onnx', ZHIBING_MODEL_DIR: modelDir });
    client = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: TEST_ADMIN_KEY, maxRetries: 0 });
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(modelDir, { recursive: true, force: true });
  });

  it('a persona model runs the whole turn: persona prompt with knowledge, generated, traced', async () => {
    const stream = await client.chat.completions
      .create({ model: 'hua-zhibing', messages: transcript, stream: true })
      .withResponse();
    let streamed = '';
    for await (const chunk of stream.data) streamed += chunk.choices[0]?.delta?.content ?? '';
    const { conversation, turns } = await storedConversation(
      app,
      stream.response.headers.get('x-zhibing-conversation-id')!,
    );
    expect(conversation.channel).toBe('openai');
    const reply = turns[turns.length - 1];
    expect(reply).toMatchObject({ role: 'persona', status: 'complete', text: streamed });
    const trace = reply.trace as {
      engine: string;
      prompt: string;
      tokens: { completionTokens: number };
      keptHistory: unknown[];
      dropped: string[];
    };
    expect(trace.engine).toBe('onnx:tiny-moe');
    // The XDAI blank-infilling prompt: the persona profile and the knowledge selected for the question.
    expect(trace.prompt).toContain('华智冰');
    // History selection kept the client's earlier exchange; the tiny model's 1024-token context then dropped it.
    expect(trace.keptHistory).toEqual([expect.objectContaining({ turnId: expect.any(String) })]);
    expect(trace.dropped).toContain('history-turn');
    expect(trace.prompt).toContain('自由式滑雪');
    expect(trace.tokens.completionTokens).toBeGreaterThan(0);
  });

  it("the engine's own model still answers without a persona", async () => {
    const completion = await client.chat.completions.create({
      model: 'onnx:tiny-moe',
      messages: [{ role: 'user', content: '你好' }],
      max_tokens: 4,
    });
    expect(completion.model).toBe('onnx:tiny-moe');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });
});

describe('personas over the OpenAI-compatible API, when the engine dies mid-reply', () => {
  const database = testDatabases()[0];
  let engine: http.Server;
  let app: TestApp;
  let client: OpenAI;

  beforeAll(async () => {
    // An OpenAI-style engine that streams one piece and then drops the connection.
    engine = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: '让我想想' } }] })}\n\n`);
        setTimeout(() => res.socket?.destroy(), 20);
      });
    });
    await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', () => resolve()));
    app = await startTestApp(database, {
      ZHIBING_ENGINE: 'remote',
      ZHIBING_REMOTE_URL: `http://127.0.0.1:${(engine.address() as AddressInfo).port}`,
    });
    client = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: TEST_ADMIN_KEY, maxRetries: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => engine?.close(resolve));
  });

  it('the failure reaches the client typed (in-band when streaming); the partial reply is stored failed', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'hua-zhibing', messages: transcript, stream: true })
      .withResponse();
    let streamed = '';
    const consume = async () => {
      for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
    };
    await expect(consume()).rejects.toMatchObject({ error: expect.objectContaining({ code: 'reply_failed' }) });
    expect(streamed).toBe('让我想想');
    const conversationId = response.headers.get('x-zhibing-conversation-id');
    const [reply] = await app.dataSource.query(
      `SELECT status, text, error FROM turns WHERE conversation_id = $1 ORDER BY seq DESC LIMIT 1`,
      [conversationId],
    );
    expect(reply).toEqual({
      status: 'failed',
      text: '让我想想',
      error: expect.objectContaining({ code: expect.stringMatching(/^engine_/) }),
    });

    const whole = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'hua-zhibing', messages: transcript }),
    });
    expect(whole.status).toBe(500);
    expect(await whole.json()).toMatchObject({
      code: 'reply_failed',
      conversationId: whole.headers.get('x-zhibing-conversation-id'),
    });
  });
});

describe('personas over the OpenAI-compatible API, when the onnx engine fails inside generation', () => {
  const database = testDatabases()[0];
  const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-openai-failing-'));
  let app: TestApp;

  beforeAll(async () => {
    // A chat template that places <|begin_of_image|>, a special token past the tiny model's
    // vocabulary: every prefill fails inside onnxruntime.
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: modelDir });
    const tokenizer = byteLevelTokenizerJson([...GLM_SPECIAL_TOKENS, '<|begin_of_image|>']);
    fs.writeFileSync(path.join(modelDir, 'tokenizer.json'), JSON.stringify(tokenizer));
    const template =
      '{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}<|begin_of_image|><|assistant|>';
    fs.writeFileSync(path.join(modelDir, 'tokenizer_config.json'), JSON.stringify({ chat_template: template }));
    app = await startTestApp(database, { ZHIBING_ENGINE: 'onnx', ZHIBING_MODEL_DIR: modelDir });
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(modelDir, { recursive: true, force: true });
  });

  it('the engine error is not dropped: the failed turn stores its typed code', async () => {
    const response = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'hua-zhibing', messages: [{ role: 'user', content: '谷爱凌是谁？' }] }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'reply_failed' });
    const [reply] = await app.dataSource.query(
      `SELECT status, error FROM turns WHERE conversation_id = $1 AND role = 'persona'`,
      [response.headers.get('x-zhibing-conversation-id')],
    );
    expect(reply).toEqual({
      status: 'failed',
      error: { code: 'engine_failed', message: expect.stringContaining('Gather') },
    });
  });
});
