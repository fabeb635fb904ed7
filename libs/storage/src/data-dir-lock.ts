import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatabaseUnavailableError } from './storage.errors';

/** The embedded data directory is held by another live process (a second gateway, or the CLI beside one). */
export class DataDirLockedError extends DatabaseUnavailableError {
  override readonly code = 'database_locked';

  constructor(
    readonly dataDir: string,
    readonly holder: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${holder}: PGlite is one process's database, and a second ` +
        `process would lose writes. Stop that process, use the running gateway's API, or point DATABASE_URL at a Postgres ` +
        `server to run several processes. (If no such process runs, delete ${path.join(dataDir, LOCK_FILE)}.)`,
    );
    this.name = 'DataDirLockedError';
  }
}

const LOCK_FILE = 'zhibing.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number((JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    // Unreadable or half-written by a process that died while writing it: nobody holds it.
    return undefined;
  }
}

/**
 * Takes the embedded data directory for this process, or throws DataDirLockedError naming the live
 * process that holds it. A lock left by a process that died (kill -9, power loss) is taken over.
 * The lock is released by `release()` and, failing that, when this process exits.
 */
export function lockDataDir(dataDir: string): { release(): void } {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), { flag: 'wx' });
      const release = () => {
        process.off('exit', release);
        if (holderOf(file) === process.pid) fs.rmSync(file, { force: true });
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(file);
      if (holder !== undefined && alive(holder)) throw new DataDirLockedError(dataDir, holder);
      // Stale: its process is gone. Remove it and race for it again (the exclusive create decides).
      fs.rmSync(file, { force: true });
    }
  }
  throw new DataDirLockedError(dataDir, holderOf(file) ?? 0);
}
