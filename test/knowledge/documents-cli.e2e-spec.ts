import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { testDatabases } from '../support/test-databases';
import { docxFixture } from './documents-fixtures';

const root = path.join(__dirname, '..', '..');

function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-cli.js'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.each(testDatabases())('knowledge import-doc (CLI process) on $name', (database) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-import-doc-'));
  let env: Record<string, string>;

  beforeAll(async () => {
    const target = await database.create();
    env = target.kind === 'postgres' ? { DATABASE_URL: target.url } : { ZHIBING_DATA_DIR: path.join(dir, 'db') };
    const docx = await docxFixture([{ heading: 1, text: 'Opening hours' }, { text: 'The museum opens at ten.' }]);
    fs.writeFileSync(path.join(dir, 'museum.docx'), docx);
    fs.writeFileSync(path.join(dir, 'sheet.xlsx'), 'PK');
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a DOCX as passages into a new base, and a refused file leaves no base behind', async () => {
    const imported = cli(['knowledge', 'import-doc', '--kb', 'museum', path.join(dir, 'museum.docx')], env);
    expect(imported.stderr).toContain('museum: museum.docx → 1 passages');
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ document: { name: 'museum.docx', type: 'docx', passages: 1 } });
    const refused = cli(['knowledge', 'import-doc', '--kb', 'sheets', path.join(dir, 'sheet.xlsx')], env);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('[document_type_invalid]');
    const exported = cli(['knowledge', 'export', '--kb', 'sheets', '--format', 'qa'], env);
    expect(exported.stderr).toContain('knowledge_base_not_found');
  }, 300_000);
});
