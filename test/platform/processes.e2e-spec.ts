import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { migrations } from '../../migrations';

const root = path.join(__dirname, '..', '..');

/** Runs a compiled entry point the way `npm start` / `npm run cli` do, with a clean environment. */
function run(script: 'run-cli.js' | 'run-ts.js', args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', script), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('processes: the CLI and the gateway entry point', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-cli-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('migrate applies the schema to the embedded database and reports its status', () => {
    const migrated = run('run-cli.js', ['migrate'], { ZHIBING_DATA_DIR: dataDir });
    expect(migrated.stderr).not.toMatch(/error/i);
    expect(migrated.status).toBe(0);
    expect(JSON.parse(migrated.stdout)).toEqual({ applied: migrations.map((m) => m.name), pending: [] });
  });

  it('keys create prints a new key once; bad input is a typed error that stores nothing', () => {
    const created = run(
      'run-cli.js',
      [
        'keys',
        'create',
        '--name',
        'site',
        '--scope',
        'widget',
        '--persona',
        'hua-zhibing',
        '--origin',
        'https://example.com',
      ],
      { ZHIBING_DATA_DIR: dataDir },
    );
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      scope: 'widget',
      key: expect.stringMatching(/^zb_widget_/),
      allowedOrigins: ['https://example.com'],
    });

    const rejected = run('run-cli.js', ['keys', 'create', '--name', 'site', '--scope', 'widget'], {
      ZHIBING_DATA_DIR: dataDir,
    });
    expect(rejected.status).toBe(1);
    expect(rejected.stderr).toContain('[validation_invalid]');
    expect(rejected.stderr).toContain('allowedOrigins');

    const listed = run('run-cli.js', ['keys', 'list'], { ZHIBING_DATA_DIR: dataDir });
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
  });

  it('every command answers --help', () => {
    for (const command of [
      [],
      ['migrate'],
      ['keys', 'create'],
      ['health'],
      ['knowledge', 'import'],
      ['knowledge', 'select'],
      ['knowledge', 'eval'],
      ['model', 'build'],
      ['generate'],
    ]) {
      const help = run('run-cli.js', [...command, '--help'], { ZHIBING_DATA_DIR: dataDir });
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: zhibing/m);
    }
  });

  it('the gateway refuses to start on bad config, naming the variable', () => {
    const started = run('run-ts.js', ['apps/gateway/src/main.ts'], { PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    expect(started.status).toBe(2);
    expect(started.stderr).toContain('PORT');
    expect(started.stderr).toContain('DATABASE_URL');
    for (const [variable, value] of [
      ['ZHIBING_TRUST_PROXY', 'every proxy!'],
      // Sharing rooms over Postgres needs a Postgres server.
      ['ZHIBING_SOCKET_ADAPTER', 'postgres'],
    ]) {
      const refused = run('run-ts.js', ['apps/gateway/src/main.ts'], { [variable]: value, ZHIBING_DATA_DIR: dataDir });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(variable);
    }
  });
});
