import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { TEST_ADMIN_KEY } from './test-app';

// The repository root: two levels up from test/support, three when compiled into dist/ (the load bench).
const root = [path.join(__dirname, '..', '..'), path.join(__dirname, '..', '..', '..')].find((dir) =>
  fs.existsSync(path.join(dir, 'scripts', 'run-ts.js')),
)!;

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the process wrote (stdout and stderr), for assertions and failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, then waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A free loopback port (taken and released, so the gateway can listen on it next). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let built = false;
/** Compiles dist/ once per test file (when stale), so gateways started side by side never build at once. */
function buildOnce(): void {
  if (built) return;
  // The same fingerprinted build `npm start` runs, done here once and in the foreground.
  const result = spawnSync(process.execPath, ['-e', "require('./scripts/build-if-stale').buildIfStale()"], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building dist/ failed');
  built = true;
}

/**
 * A real gateway process, started the way `npm start` does (`scripts/run-ts.js apps/gateway/src/main.ts`),
 * with a clean environment plus `env`; resolves once it answers HTTP.
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<GatewayProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  buildOnce();
  const port = await freePort();
  const args = [...(options.nodeArgs ?? []), path.join(root, 'scripts', 'run-ts.js'), 'apps/gateway/src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ZHIBING_ADMIN_KEY: TEST_ADMIN_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // Listening once /health answers at all (whatever the log level prints).
  const deadline = Date.now() + timeoutMs;
  let gone: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((how) => (gone = how));
  for (;;) {
    if (gone) throw new Error(`gateway exited (${gone.code ?? gone.signal}) before listening:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not start in ${timeoutMs} ms:\n${output}`);
    }
    const answered = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => true,
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
