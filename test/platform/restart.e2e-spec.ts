import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEST_ADMIN_KEY, startTestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-databases';

/** Embedded storage in a real folder keeps its data across restarts and re-runs no migration. */
describe('embedded PGlite persisted in ZHIBING_DATA_DIR', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-restart-'));
  const folder: TestDatabase = {
    name: 'pglite',
    create: async () => ({ kind: 'pglite', dataDir: dir }),
    drop: async () => undefined,
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps workspaces across a restart, and personas keep their versions', async () => {
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const first = await startTestApp(folder);
    const created = await fetch(`${first.url}/v1/workspaces`, { method: 'POST', headers, body: JSON.stringify({ name: 'survives' }) });
    expect(created.status).toBe(201);
    await first.close();

    const second = await startTestApp(folder);
    try {
      const listed = (await (await fetch(`${second.url}/v1/workspaces`, { headers })).json()) as { name: string }[];
      expect(listed.map((w) => w.name)).toContain('survives');
      const health = (await (await fetch(`${second.url}/health`)).json()) as { database: { migrations: { pending: string[] } } };
      expect(health.database.migrations.pending).toEqual([]);
      // Shipped personas are loaded again at every start without new versions.
      const personas = (await (await fetch(`${second.url}/v1/personas`, { headers })).json()) as { version: number }[];
      expect(personas.length).toBeGreaterThan(0);
      expect(personas.every((p) => p.version === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
