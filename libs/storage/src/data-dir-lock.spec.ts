import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataDirLockedError, lockDataDir } from './data-dir-lock';

/** A real second process that takes the directory's lock (the same file protocol) and holds it. */
async function holder(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [
    '-e',
    `
    const fs = require('node:fs');
    fs.writeFileSync(${JSON.stringify(path.join(dataDir, 'zhibing.lock'))}, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
    console.log('held');
    setInterval(() => {}, 1000);
  `,
  ]);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return child;
}

describe('lockDataDir', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-lock-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a directory another live process holds, naming it, and takes it over once that process is killed', async () => {
    const child = await holder(dataDir);
    try {
      expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dataDir)).toThrow(new RegExp(`in use by process ${child.pid}`));
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const lock = lockDataDir(dataDir);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'zhibing.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(path.join(dataDir, 'zhibing.lock'))).toBe(false);
  });

  it('refuses a second holder in the same process until the first releases', () => {
    const first = lockDataDir(dataDir);
    let error: unknown;
    try {
      lockDataDir(dataDir);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'database_locked', holder: process.pid });
    first.release();
    lockDataDir(dataDir).release();
  });
});
