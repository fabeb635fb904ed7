import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ZhibingError } from '@zhibing/protocol';
import { httpStatusForCode } from '../common/http-status-for-code';
import { ConsoleFiles } from './console-files';
import { CONSOLE_ERROR_STATUS } from './console.errors';

describe('ConsoleFiles', () => {
  let dir: string;
  let files: ConsoleFiles;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-console-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, '.build-stamp'), 'x');
    fs.writeFileSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), 'secret');
    files = new ConsoleFiles(dir);
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), { force: true });
  });

  it('serves built files, hashed assets as immutable', () => {
    expect(files.resolve(['assets', 'index-abc.js'])).toEqual({
      absolutePath: path.join(dir, 'assets', 'index-abc.js'),
      immutable: true,
    });
    expect(files.resolve([])).toEqual({ absolutePath: path.join(dir, 'index.html'), immutable: false });
  });

  it('answers every application route with index.html, and a missing file with nothing', () => {
    expect(files.resolve(['personas', 'hua-zhibing'])?.absolutePath).toBe(path.join(dir, 'index.html'));
    expect(files.resolve(['assets', 'gone-123.js'])).toBeNull();
  });

  it('never leaves the build folder nor serves dotfiles', () => {
    expect(files.resolve(['..', `${path.basename(dir)}-secret.txt`])).toBeNull();
    expect(files.resolve(['.build-stamp'])).toBeNull();
    expect(files.resolve(['assets', '..', '..', 'etc', 'passwd'])).toBeNull();
    expect(files.resolve(['a\\..\\b'])).toBeNull();
  });

  it('says how to build the console when it is not built', () => {
    fs.rmSync(path.join(dir, 'index.html'));
    let error: unknown;
    try {
      files.resolve([]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZhibingError);
    expect(error).toMatchObject({ code: 'console_unavailable', message: expect.stringContaining('npm run build') });
  });
});

describe('console error codes', () => {
  it('answer the HTTP status the problem filter gives them', () => {
    for (const [code, status] of Object.entries(CONSOLE_ERROR_STATUS)) expect(httpStatusForCode(code)).toBe(status);
  });
});
