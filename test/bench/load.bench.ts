import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { connectBenchSocket } from './bench-socket';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { TEST_ADMIN_KEY } from '../support/test-app';
import type { Bench } from './benches';
import { percentile } from './stats';
import { startBare } from './streaming.bench';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 1000);
const MESSAGES = Number(process.env.LOAD_MESSAGES ?? 3);
/** LOAD_PROFILE=1: the gateway runs with --cpu-prof; its hottest functions are printed after each store. */
const PROFILE = process.env.LOAD_PROFILE === '1';
const QUESTIONS = ['有停车场吗？', '几点开门？', '可以带宠物吗？', '前台在哪里？'];
/** The retrieval responder streams a reply a sentence at a time: about this many deltas per answer here. */
const BARE_DELTAS = 3;
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Outcome {
  store: string;
  messages: number;
  seconds: number;
  ack: number[];
  reply: number[];
  rssPeakMb: number;
  failed: number;
}

/** Reads a process's resident set size (MB) from /proc. */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** One client's conversation: M messages in turn, each timed to its ack and to its reply.end. */
async function converse(socket: Socket, index: number, outcome: Outcome): Promise<void> {
  const started = await socket.timeout(60_000).emitWithAck('session.start', { personaId: 'front-desk' });
  if (!started.ok) throw new Error(`session.start failed: ${JSON.stringify(started.error)}`);
  for (let m = 0; m < MESSAGES; m++) {
    const sent = performance.now();
    // One message in flight per client: the next reply.end on this socket is this message's.
    const ended = new Promise<void>((resolve) => socket.once('reply.end', () => resolve()));
    const ack = await socket.timeout(60_000).emitWithAck('message', {
      conversationId: started.data.conversationId,
      clientMessageId: `c${index}m${m}`,
      text: QUESTIONS[(index + m) % QUESTIONS.length],
    });
    if (!ack.ok) {
      outcome.failed++;
      continue;
    }
    outcome.ack.push(performance.now() - sent);
    await ended;
    outcome.reply.push(performance.now() - sent);
  }
}

/** A server under load: where clients connect, its process (for RSS), how it stops. */
interface Target {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A gateway process; with LOAD_PROFILE=1 it runs under --cpu-prof and its profile is printed when it stops. */
async function startGateway(store: string, env: Record<string, string>): Promise<Target> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-load-prof-'));
  // --cpu-prof writes its file at a normal exit: SIGUSR2 makes the gateway exit normally.
  const preload = path.join(profileDir, 'exit-on-usr2.js');
  fs.writeFileSync(preload, "process.once('SIGUSR2', () => process.exit(0));\n");
  const gateway: GatewayProcess = await startGatewayProcess(
    { ...env, LOG_LEVEL: 'warn', ZHIBING_LIMIT_AUTH_FAILURES: '0' },
    {
      timeoutMs: 120_000,
      nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--require', preload] : [],
    },
  );
  return {
    url: gateway.url,
    pid: gateway.child.pid!,
    async stop() {
      if (PROFILE) {
        await gateway.kill('SIGUSR2');
        printProfile(store, profileDir);
      } else {
        await gateway.kill('SIGTERM');
      }
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

async function runStore(store: string, env: Record<string, string>): Promise<Outcome> {
  return runTarget(store, await startGateway(store, env));
}

async function runTarget(store: string, target: Target): Promise<Outcome> {
  const outcome: Outcome = { store, messages: 0, seconds: 0, ack: [], reply: [], rssPeakMb: 0, failed: 0 };
  const sampler = setInterval(() => {
    outcome.rssPeakMb = Math.max(outcome.rssPeakMb, rssMb(target.pid));
  }, 100);
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < CLIENTS; i += 100) {
      sockets.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(100, CLIENTS - i) }, () => connectBenchSocket(target.url, TEST_ADMIN_KEY)),
        )),
      );
    }
    const idleRss = rssMb(target.pid);
    const started = performance.now();
    await Promise.all(sockets.map((socket, i) => converse(socket, i, outcome)));
    outcome.seconds = (performance.now() - started) / 1000;
    outcome.messages = outcome.reply.length;
    console.log(`  ${store}: ${CLIENTS} clients connected, server RSS ${idleRss.toFixed(0)} MB before the messages`);
  } finally {
    clearInterval(sampler);
    for (const socket of sockets) socket.disconnect();
    await target.stop();
  }
  return outcome;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The functions with the most self time in the gateway's CPU profile, and the share by package. */
function printProfile(store: string, dir: string): void {
  const file = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return void console.log(`  (no CPU profile written for ${store})`);
  // LOAD_PROFILE_OUT=folder keeps each profile (open it in Chrome DevTools' Performance panel).
  const keep = process.env.LOAD_PROFILE_OUT;
  if (keep) {
    fs.mkdirSync(keep, { recursive: true });
    fs.copyFileSync(path.join(dir, file), path.join(keep, `${store.replace(/\W+/g, '-')}.cpuprofile`));
  }
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*\/(node_modules\/(@[^/]+\/)?[^/]+|dist\/[^/]+\/[^/]+)\/?/, '$1:');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg =
      /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/dist/') ? 'zhibing' : url || functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, n)
      .map(([key, us]) => `    ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`)
      .join('\n');
  console.log(`  ${store} gateway CPU profile, ${(total / 1e6).toFixed(1)} s sampled; self time by package:`);
  console.log(top(byPackage, 12));
  console.log('  hottest functions (self time):');
  console.log(top(self, 15));
  // A native function (writev, ...) says little alone: who calls it says where the time goes.
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const callers = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName !== 'writev') return;
    const chain: string[] = [];
    for (let up = parents.get(id); up !== undefined && chain.length < 3; up = parents.get(up)) {
      const frame = byId.get(up)!.callFrame;
      if (/node_modules|dist\//.test(frame.url))
        chain.push(`${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|dist)\//, '')}`);
    }
    const key = chain.join(' ← ') || '(no library frame)';
    callers.set(key, (callers.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  if (callers.size) console.log('  writev by caller:\n' + top(callers, 5));
}

async function withServerDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `zhibing_bench_load_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * N socket clients × M messages against a gateway process with the retrieval responder: messages/s,
 * ack and reply latencies, gateway RSS — embedded PGlite and the Postgres server in the same run
 * (PGlite is the baseline the ratio is against), and bare socket.io sending the same events with
 * nothing stored, the ceiling of this machine. The clients run in this process, sharing the
 * machine's cores with the gateway. LOAD_CLIENTS / LOAD_MESSAGES / LOAD_PROFILE=1 (LOAD_PROFILE_OUT=folder keeps the profiles) change it.
 */
export const loadBench: Bench = {
  name: 'load',
  optIn: true,
  async run() {
    console.log(`  ${CLIENTS} clients × ${MESSAGES} messages, retrieval responder, gateway in its own process`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-load-'));
    const outcomes: Outcome[] = [];
    try {
      outcomes.push(await runStore('pglite', { ZHIBING_DATA_DIR: dataDir }));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    outcomes.push(await withServerDatabase((url) => runStore('postgres', { DATABASE_URL: url })));
    // The same without sharing rooms between gateways: what the Postgres adapter costs.
    outcomes.push(
      await withServerDatabase((url) =>
        runStore('postgres, no socket.io adapter', { DATABASE_URL: url, ZHIBING_SOCKET_ADAPTER: 'none' }),
      ),
    );
    // The ceiling on this machine: the same clients and events, nothing stored or selected.
    outcomes.push(await runTarget('bare socket.io (ceiling)', await startBare(BARE_DELTAS)));
    const base = outcomes[0].messages / outcomes[0].seconds;
    console.log(
      '\n  store                           msg/s   ×pglite  ack p50   ack p99   reply p50  reply p99  RSS peak  failed',
    );
    for (const o of outcomes) {
      const rate = o.messages / o.seconds;
      console.log(
        `  ${o.store.padEnd(30)} ${rate.toFixed(0).padStart(6)}  ${(rate / base).toFixed(2).padStart(6)}` +
          `  ${percentile(o.ack, 50).toFixed(0).padStart(5)} ms  ${percentile(o.ack, 99).toFixed(0).padStart(5)} ms` +
          `  ${percentile(o.reply, 50).toFixed(0).padStart(6)} ms  ${percentile(o.reply, 99).toFixed(0).padStart(6)} ms` +
          `  ${o.rssPeakMb.toFixed(0).padStart(5)} MB  ${o.failed}`,
      );
    }
  },
};
