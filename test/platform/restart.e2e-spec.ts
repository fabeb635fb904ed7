import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
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
    const created = await fetch(`${first.url}/v1/workspaces`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'survives' }),
    });
    expect(created.status).toBe(201);
    await first.close();

    const second = await startTestApp(folder);
    try {
      const listed = (await (await fetch(`${second.url}/v1/workspaces`, { headers })).json()) as { name: string }[];
      expect(listed.map((w) => w.name)).toContain('survives');
      const health = (await (await fetch(`${second.url}/health`)).json()) as {
        database: { migrations: { pending: string[] } };
      };
      expect(health.database.migrations.pending).toEqual([]);
      // Shipped personas are loaded again at every start without new versions.
      const personas = (await (await fetch(`${second.url}/v1/personas`, { headers })).json()) as { version: number }[];
      expect(personas.length).toBeGreaterThan(0);
      expect(personas.every((p) => p.version === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('while a gateway runs on the folder, a second gateway or the CLI is refused by name, and nothing is lost', async () => {
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const running = await startTestApp(folder);
    try {
      await expect(startTestApp(folder)).rejects.toMatchObject({ code: 'database_locked' });
      const root = path.join(__dirname, '..', '..');
      const cli = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-cli.js'), 'migrate', '--status'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ZHIBING_DATA_DIR: dir },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(cli.status).not.toBe(0);
      expect(cli.stderr).toMatch(new RegExp(`in use by process ${process.pid}`));
      const created = await fetch(`${running.url}/v1/workspaces`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'still-here' }),
      });
      expect(created.status).toBe(201);
    } finally {
      await running.close();
    }
    const again = await startTestApp(folder);
    try {
      const listed = (await (await fetch(`${again.url}/v1/workspaces`, { headers })).json()) as { name: string }[];
      expect(listed.map((w) => w.name)).toEqual(expect.arrayContaining(['survives', 'still-here']));
    } finally {
      await again.close();
    }
  }, 180_000);

  it('a changed ZHIBING_ADMIN_KEY replaces the old one: after the restart only the new key works', async () => {
    const newKey = 'zb_root_replacement-operator-key-0987654321';
    const gateway = await startTestApp(folder, { ZHIBING_ADMIN_KEY: newKey });
    try {
      const withOld = await fetch(`${gateway.url}/v1/workspaces`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      const withNew = await fetch(`${gateway.url}/v1/workspaces`, { headers: { authorization: `Bearer ${newKey}` } });
      expect([withOld.status, withNew.status]).toEqual([401, 200]);
    } finally {
      await gateway.close();
    }
  });
});
