import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type EmbeddingsServer, startEmbeddingsServer } from '../support/embeddings-server';
import { testDatabases } from '../support/test-databases';

const root = path.join(__dirname, '..', '..');

/** Runs `npm run cli` as a process (asynchronously: the embeddings server lives in this one). */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'run-cli.js'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.each(testDatabases())('knowledge reembed (CLI process) on $name', (database) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-reembed-'));
  const file = path.join(dataDir, 'qa.jsonl');
  let server: EmbeddingsServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startEmbeddingsServer({ dims: 16 });
    const target = await database.create();
    env = target.kind === 'postgres' ? { DATABASE_URL: target.url } : { ZHIBING_DATA_DIR: path.join(dataDir, 'db') };
    fs.writeFileSync(
      file,
      ['{"question":"故宫的门票多少钱？","answer":"旺季60元。"}', '{"question":"熊猫吃什么？","answer":"竹子。"}'].join(
        '\n',
      ),
    );
  });
  afterAll(async () => {
    await server?.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('switches a base imported with the hashing embedder to the configured server, then skips it', async () => {
    const imported = await cli(['knowledge', 'import', '--kb', 'faq', '--format', 'qa', file], env);
    expect(imported.status).toBe(0);
    const remote = {
      ...env,
      ZHIBING_EMBEDDER: 'openai',
      ZHIBING_EMBEDDER_URL: server.url,
      ZHIBING_EMBEDDER_MODEL: 'concepts',
    };
    const first = await cli(['knowledge', 'reembed', '--kb', 'faq'], remote);
    expect(first.stderr).toContain('faq: embedding with openai:concepts');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ embedder: 'openai:concepts', items: 2, skipped: 0, embedded: 2 });
    const second = await cli(['knowledge', 'reembed', '--kb', 'faq'], remote);
    expect(JSON.parse(second.stdout)).toMatchObject({ items: 2, skipped: 2, embedded: 0 });
    // The probe at start-up of each process, and the two items once.
    expect(server.received.filter((t) => t !== 'probe')).toHaveLength(2);
    // The first CLI run may compile dist/ (tsc over the whole repository) when sources changed.
  }, 300_000);

  it('a missing setting is a config error naming the variable', async () => {
    const result = await cli(['knowledge', 'reembed', '--kb', 'faq'], {
      ...env,
      ZHIBING_EMBEDDER: 'openai',
      ZHIBING_EMBEDDER_URL: server.url,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ZHIBING_EMBEDDER_MODEL is required when ZHIBING_EMBEDDER=openai');
  });
});
