import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildModelFolder } from '@zhibing/kernels';
import { Client } from 'pg';
import { Server } from 'socket.io';
import { connectBenchSocket } from './bench-socket';
import type { Bench } from './benches';
import { percentile } from './stats';

const ADMIN_KEY = 'zb_root_streaming-bench-key-0123456789';
/** Streams per point; `ZHIBING_BENCH_STREAMS=10,50` picks others for a quick look. */
const STREAMS = (process.env.ZHIBING_BENCH_STREAMS ?? '10,50,100,200,300').split(',').map(Number);
/** Each point measures this long, after every stream has started. */
const WINDOW_MS = 8_000;
/**
 * A user reads the reply and types for a while before the next message: 0.5–1.5 s here (short,
 * so that most conversations are streaming at any moment). With none, every stream would be a
 * client hammering the gateway back to back.
 */
const THINK_MS = [500, 1_500];
/** The threshold of the issue: a stream whose p99 gap between deltas is above this feels stuck. */
const GAP_LIMIT_MS = 50;
const QUESTIONS = ['谷爱凌是谁？', '你喜欢滑雪吗？', '北京冬奥会怎么样？', '你是谁？', '讲讲你的学习'];

/** A server under test: its URL, the persona to talk to, and how to stop it. */
interface Target {
  name: string;
  url: string;
  persona: string;
  stop(): Promise<void>;
}

interface Point {
  streams: number;
  gapP99: number;
  gapP50: number;
  lagP99: number;
  deltasPerSecond: number;
  replies: number;
  errors: number;
}

/**
 * `npm run bench streaming`: N socket.io clients (socket.io-client, websocket) each stream replies
 * back to back from a gateway in its own process; reported per N: the p99 and p50 gap between a
 * reply's consecutive deltas as the client sees them, the server's event-loop delay p99 (its
 * `zhibing_event_loop_delay_seconds` gauge over the window) and deltas per second. Four servers
 * in the same run: bare socket.io streaming fixed deltas (the ceiling: same client, same machine,
 * no gateway), the gateway with the retrieval responder on embedded PGlite, and the gateway on
 * tiny-moe (onnx engine in its worker process) on PGlite and on the Postgres server.
 */
export const streamingBench: Bench = {
  name: 'streaming',
  optIn: true, // about six minutes
  async run() {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-streaming-'));
    const modelDir = path.join(work, 'tiny-moe');
    // What `model build --preset tiny-moe` writes: the fused graph.
    buildModelFolder({ preset: 'tiny-moe', seed: 7, out: modelDir, graph: 'fused' });
    const results: { name: string; points: Point[] }[] = [];
    const starters: (() => Promise<Target>)[] = [
      () => startBare(),
      () => startGateway('retrieval (PGlite)', path.join(work, 'retrieval'), {}),
      () =>
        startGateway('tiny-moe (onnx worker, PGlite)', path.join(work, 'tiny-moe-data'), {
          ZHIBING_ENGINE: 'onnx',
          ZHIBING_MODEL_DIR: modelDir,
        }),
      // The same on the Postgres server: what the engine costs, without the embedded store's share.
      async () => {
        const database = await createDatabase();
        const target = await startGateway('tiny-moe (onnx worker, Postgres)', path.join(work, 'unused'), {
          ZHIBING_ENGINE: 'onnx',
          ZHIBING_MODEL_DIR: modelDir,
          DATABASE_URL: database.url,
        });
        return { ...target, stop: () => target.stop().then(database.drop) };
      },
    ];
    try {
      for (const start of starters) {
        const target = await start();
        const points: Point[] = [];
        try {
          for (const streams of STREAMS) {
            const point = await measure(target, streams);
            points.push(point);
            console.log(
              `${target.name.padEnd(32)} N=${String(streams).padStart(3)}  gap p99 ${point.gapP99.toFixed(1)} ms` +
                `  p50 ${point.gapP50.toFixed(1)} ms  loop lag p99 ${point.lagP99.toFixed(1)} ms` +
                `  ${Math.round(point.deltasPerSecond)} deltas/s  ${point.replies} replies  ${point.errors} errors`,
            );
          }
        } finally {
          await target.stop();
        }
        results.push({ name: target.name, points });
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    printTable(results);
  },
};

function printTable(results: { name: string; points: Point[] }[]): void {
  const ceiling = results[0];
  console.log(`\n| server | N | gap p99 | gap p99 ÷ bare | loop lag p99 | deltas/s |`);
  console.log('|---|---|---|---|---|---|');
  for (const { name, points } of results) {
    points.forEach((p, i) => {
      const ratio = (p.gapP99 / ceiling.points[i].gapP99).toFixed(2);
      const cells = [name, p.streams, `${p.gapP99.toFixed(1)} ms`, `${ratio}×`, `${p.lagP99.toFixed(1)} ms`];
      console.log(`| ${[...cells, Math.round(p.deltasPerSecond)].join(' | ')} |`);
    });
  }
  console.log(`\nStreams before the p99 gap passes ${GAP_LIMIT_MS} ms (of N = ${STREAMS.join(', ')}):`);
  for (const { name, points } of results) {
    const within = points.filter((p) => p.gapP99 <= GAP_LIMIT_MS).map((p) => p.streams);
    const firstOver = points.find((p) => p.gapP99 > GAP_LIMIT_MS);
    const held = within.length ? Math.max(...within) : 0;
    console.log(
      `  ${name}: ${held ? `holds ${held}` : 'none held'}${firstOver ? `, passes at ${firstOver.streams}` : ''}`,
    );
  }
}

/** N clients streaming replies for WINDOW_MS; gaps are measured between a reply's consecutive deltas. */
async function measure(target: Target, streams: number): Promise<Point> {
  const clients = await Promise.all(Array.from({ length: streams }, () => connectBenchSocket(target.url, ADMIN_KEY)));
  const gaps: number[] = [];
  let deltas = 0;
  let replies = 0;
  let errors = 0;
  let measuring = false;
  let running = true;
  const loops = clients.map(async (socket, c) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * THINK_MS[1]));
    const session = await socket.timeout(30_000).emitWithAck('session.start', { personaId: target.persona });
    const conversationId = session.data.conversationId as string;
    let last = 0;
    socket.on('reply.delta', () => {
      const now = performance.now();
      if (measuring && last) {
        gaps.push(now - last);
        deltas++;
      }
      last = now;
    });
    for (let turn = 0; running; turn++) {
      last = 0;
      const ended = new Promise<{ finishReason: string }>((resolve) => socket.once('reply.end', resolve));
      const ack = await socket.timeout(60_000).emitWithAck('message', {
        conversationId,
        clientMessageId: `c${c}-t${turn}`,
        text: QUESTIONS[(c + turn) % QUESTIONS.length],
      });
      if (!ack.ok) {
        errors++;
        break;
      }
      const end = await ended;
      if (measuring) {
        replies++;
        if (end.finishReason === 'error') errors++;
      }
      const think = THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]);
      await new Promise((resolve) => setTimeout(resolve, think));
    }
  });
  // Streams start spread over the think time; the window opens once all are going.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await scrapeLag(target.url); // resets the server's delay histogram
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  measuring = false;
  const lagP99 = await scrapeLag(target.url);
  running = false;
  await Promise.race([Promise.all(loops), new Promise((resolve) => setTimeout(resolve, 30_000))]);
  for (const socket of clients) socket.disconnect();
  return {
    streams,
    gapP99: percentile(gaps, 99),
    gapP50: percentile(gaps, 50),
    lagP99,
    deltasPerSecond: deltas / (WINDOW_MS / 1000),
    replies,
    errors,
  };
}

/** The server's event-loop delay p99 since the previous scrape, in ms. */
async function scrapeLag(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /zhibing_event_loop_delay_seconds\{quantile="0\.99"\} ([\d.e+-]+)/.exec(text);
  if (!match) throw new Error(`${url}/metrics has no zhibing_event_loop_delay_seconds`);
  return Number(match[1]) * 1000;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not become healthy`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

/** A fresh database on the local Postgres server (dropped after). */
async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `zhibing_bench_streaming_${process.pid}`;
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  return { url: `postgres://postgres@127.0.0.1:5432/${name}`, drop: () => run(`DROP DATABASE ${name} WITH (FORCE)`) };
}

/** `npm start` in its own process: the gateway as an operator runs it, on a fresh PGlite folder. */
async function startGateway(name: string, dataDir: string, env: Record<string, string>): Promise<Target> {
  const port = await freePort();
  const root = path.join(__dirname, '..', '..', '..');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ZHIBING_DATA_DIR: dataDir,
    ZHIBING_ADMIN_KEY: ADMIN_KEY,
    ...env,
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL; // the embedded default
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'run-ts.js'), 'apps/gateway/src/main.ts'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return { name, url, persona: 'hua-zhibing', stop: () => stopChild(child) };
}

/** Bare socket.io in its own process, speaking the /chat events with `deltas` fixed deltas per reply. */
export async function startBare(deltas = 24): Promise<Target & { pid: number }> {
  const port = await freePort();
  const registerPaths = path.join(__dirname, '..', '..', '..', 'scripts', 'register-paths.js');
  const code =
    `require(${JSON.stringify(registerPaths)}); ` +
    `require(${JSON.stringify(__filename)}).serveBareSocketIo(${port}, ${deltas});`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return { name: 'bare socket.io', url, persona: 'none', pid: child.pid!, stop: () => stopChild(child) };
}

/**
 * The ceiling: a socket.io server that answers each message as the gateway does (reply.start, the
 * avatar's thinking and speaking states, `deltas` deltas of 4 characters, one per event-loop turn,
 * reply.end, listening) with nothing stored, and serves /health and the same event-loop gauge as
 * the gateway on /metrics.
 */
export function serveBareSocketIo(port: number, deltas = 24): void {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const server = http.createServer((request, response) => {
    if (request.url === '/metrics') {
      const p99 = delay.count ? Math.max(0, delay.percentile(99) / 1e6 - 1) / 1000 : 0;
      delay.reset();
      response.end(`zhibing_event_loop_delay_seconds{quantile="0.99"} ${p99}\n`);
    } else response.end('ok');
  });
  const ioServer = new Server(server, { transports: ['websocket'] });
  let turns = 0;
  ioServer.of('/chat').on('connection', (socket) => {
    socket.on('session.start', (_payload, ack) => ack({ ok: true, data: { conversationId: `c${turns++}` } }));
    socket.on('message', async (payload: { conversationId: string }, ack) => {
      const turnId = `t${turns++}`;
      ack({ ok: true, data: { turnId } });
      const { conversationId } = payload;
      socket.emit('reply.start', { conversationId, turnId });
      socket.emit('avatar.state', { conversationId, state: 'thinking' });
      let text = '';
      for (let seq = 1; seq <= deltas; seq++) {
        if (seq === 1) socket.emit('avatar.state', { conversationId, state: 'speaking' });
        const piece = '华智冰说'.slice(0, 4);
        text += piece;
        socket.emit('reply.delta', { turnId, seq, text: piece });
        await new Promise((resolve) => setImmediate(resolve));
      }
      socket.emit('reply.end', { conversationId, turnId, text, finishReason: 'stop' });
      socket.emit('avatar.state', { conversationId, state: 'listening' });
    });
  });
  server.listen(port, '127.0.0.1');
}
