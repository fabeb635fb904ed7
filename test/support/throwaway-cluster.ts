import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './gateway-process';

/** A Postgres cluster of the test's own (initdb + pg_ctl on a free port), to stop and start at will. */
export interface ThrowawayCluster {
  url: string;
  port: number;
  stop(): void;
  start(): void;
  /** Stops it and removes its files. */
  remove(): void;
}

/** The newest Postgres server binaries installed (Debian keeps them under /usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => /^\d+$/.test(v)) : [];
  if (majors.length === 0) throw new Error(`no Postgres server binaries under ${base} (apt-get install postgresql)`);
  return path.join(base, majors.sort((x, y) => Number(y) - Number(x))[0], 'bin');
}

/**
 * initdb refuses to run as root: as root, the cluster is made and run by the `postgres` user
 * (runuser), as CI's machine has it; otherwise by the current user.
 */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = postgresBin();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres', root]);
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, tool), args, { stdio: 'pipe' });
  const data = path.join(root, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const cluster: ThrowawayCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => void run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(root, 'log'), '-w', 'start']),
    stop: () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    remove() {
      if (fs.existsSync(path.join(data, 'postmaster.pid'))) cluster.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
