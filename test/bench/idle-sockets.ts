import { type ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { Socket } from 'socket.io-client';
import { connectBenchSocket } from './bench-socket';

const ROOT = path.join(__dirname, '..', '..', '..');
/** Idle sockets held open per server (the open-file limit is 20,000 per process, both ends count). */
const SOCKETS = Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000);
/** Connections opened at once while filling up. */
const CONCURRENT = 200;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

function ask<T>(child: ChildProcess, message?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (reply) => resolve(reply as T));
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
    if (message) child.send(message);
  });
}

/** A server process's memory per idle socket: after a GC, with SOCKETS open minus with none. */
async function perSocket(mode: 'bare' | 'gateway'): Promise<{ rss: number; heap: number; connectMs: number }> {
  const child = fork(path.join(ROOT, 'scripts', 'run-ts.js'), ['test/bench/idle-socket-server.ts', mode], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const sockets: Socket[] = [];
  try {
    const { port, key } = await ask<{ port: number; key: string }>(child);
    const url = `http://127.0.0.1:${port}`;
    // One round trip first, so what the first connection sets up once is not counted per socket.
    sockets.push(await connectBenchSocket(url, key));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await ask<Memory>(child, 'measure');
    const started = performance.now();
    while (sockets.length < SOCKETS + 1) {
      const batch = Math.min(CONCURRENT, SOCKETS + 1 - sockets.length);
      sockets.push(...(await Promise.all(Array.from({ length: batch }, () => connectBenchSocket(url, key)))));
    }
    const connectMs = performance.now() - started;
    // Let the key checks of the last connections finish before measuring.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await ask<Memory>(child, 'measure');
    return {
      rss: (after.rss - before.rss) / SOCKETS,
      heap: (after.heapUsed + after.external - before.heapUsed - before.external) / SOCKETS,
      connectMs,
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    child.kill();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Idle /chat sockets: the gateway's memory per socket against bare socket.io's, same client, same run. */
export async function idleSocketFigures(): Promise<void> {
  const bare = await perSocket('bare');
  const gateway = await perSocket('gateway');
  for (const [name, figures] of [
    ['bare socket.io', bare],
    ['gateway', gateway],
  ] as const) {
    console.log(
      `${name.padEnd(14)} ${SOCKETS} idle sockets: RSS ${kb(figures.rss)} per socket, JS heap + external ${kb(figures.heap)}` +
        ` per socket, connected in ${(figures.connectMs / 1000).toFixed(1)} s`,
    );
  }
  console.log(
    `gateway / bare socket.io per socket: RSS ${(gateway.rss / bare.rss).toFixed(2)}×, heap ${(gateway.heap / bare.heap).toFixed(2)}×  [goal RSS ≤ 15 KB]`,
  );
}
