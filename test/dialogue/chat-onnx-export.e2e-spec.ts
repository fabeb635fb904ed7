import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeOptimumExport, writeSeededCheckpoint } from '@zhibing/kernels';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { connectChat } from '../support/chat-client';
import { testDatabases } from '../support/test-databases';

describe.each(testDatabases())('chat with an Optimum-layout fp16 export as engine on $name', (database) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-chat-export-'));
  const modelDir = path.join(root, 'glm-edge-like');
  let server: TestApp;

  beforeAll(async () => {
    const checkpoint = path.join(root, 'checkpoint');
    writeSeededCheckpoint({ preset: 'tiny-dense', seed: 7, out: checkpoint });
    writeOptimumExport({ fromHf: checkpoint, out: modelDir });
    // As a user who downloaded an export would: the folder, and which of its graphs.
    server = await startTestApp(database, {
      ZHIBING_ENGINE: 'onnx',
      ZHIBING_MODEL_DIR: modelDir,
      ZHIBING_MODEL_DTYPE: 'fp16',
    });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('streams a reply from the export and stores the turn', async () => {
    const health = (await (await fetch(`${server.url}/health`)).json()) as { components: { engine: { kind: string } } };
    expect(health.components.engine.kind).toBe('onnx:glm-edge-like');

    const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
    try {
      const { data } = await client.request('session.start', { personaId: 'hua-zhibing' });
      const { end, deltas } = await client.ask(data.conversationId, 'q1', '谷爱凌是谁？', 30_000);
      expect(deltas.join('')).toBe(end.text);
      expect(['stop', 'length']).toContain(end.finishReason);
      const [, reply] = await server.dataSource.query(
        `SELECT role, status, text, trace FROM turns WHERE conversation_id = $1 ORDER BY seq`,
        [data.conversationId],
      );
      expect(reply).toMatchObject({ role: 'persona', status: 'complete', text: end.text });
      expect(reply.trace.engine).toBe('onnx:glm-edge-like');
      expect(reply.trace.tokens.completionTokens).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });
});
