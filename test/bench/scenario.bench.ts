import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DialogueService, RetrievalResponder } from '@zhibing/dialogue';
import { KnowledgeService } from '@zhibing/knowledge';
import { loadPersonaFiles, PersonaRepository, syncPersonas } from '@zhibing/persona';
import { type Persona, personaSchema } from '@zhibing/protocol';
import { closeDatabase, type DatabaseTarget, ensureWorkspace, openDatabase } from '@zhibing/storage';
import { connectChat } from '../support/chat-client';
import { QueryCounter } from '../support/query-counter';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { type TestDatabase, testDatabases } from '../support/test-databases';
import type { Bench } from './benches';
import { ms, percentile } from './stats';

const ROOT = path.join(__dirname, '..', '..', '..');
const nullSink = { emit: () => undefined };
/** Turns measured per kind (medians). */
const SAMPLES = 30;
/** Conversations whose timers come due together. */
const TIMERS = 100;

const flow = (seconds: number) => ({
  phases: [
    { id: 'intro', kind: 'prompt', say: '你好！请先简单介绍一下你自己。' },
    { id: 'qa', kind: 'chat', say: '有什么问题可以问我。', timer: { seconds, then: 'close' } },
    { id: 'close', kind: 'prompt', say: '时间到了，再见！', end: true },
  ],
});

/**
 * What a scenario adds to a turn: a message in a chat phase (answered from knowledge, state
 * unchanged) and one that moves the scenario (scripted lines only), against the same message to
 * a persona without a flow; medians of SAMPLES, with the SQL statements each sent.
 */
async function turnCosts(database: TestDatabase): Promise<void> {
  const db = await openDatabase(await database.create());
  const counter = new QueryCounter(db);
  try {
    const knowledge = new KnowledgeService(db);
    const personas = new PersonaRepository(db);
    const workspaceId = await ensureWorkspace(db);
    const files = loadPersonaFiles(path.join(ROOT, 'persona'));
    await syncPersonas(workspaceId, files, personas, knowledge);
    const frontDesk = files.find((p) => p.id === 'front-desk')!;
    // The shipped front desk has a flow of its own: the same persona without one is the baseline.
    const save = (id: string, withFlow: unknown) =>
      personas.save(workspaceId, personaSchema.parse({ ...frontDesk, id, flow: withFlow }) as Persona);
    await save('desk-flow', flow(3600));
    await save('desk-plain', undefined);
    const dialogue = new DialogueService(db, knowledge, personas, new RetrievalResponder(), { lookupCacheMs: 600_000 });
    const caller = { workspaceId, channel: 'bench' };
    let sent = 0;
    const turn = async (conversationId: string, text: string) => {
      const started = performance.now();
      const { statements } = await counter.during(async () => {
        await dialogue.sendMessage(caller, { conversationId, clientMessageId: `m-${sent++}`, text }, nullSink);
        await dialogue.whenIdle();
      });
      return { ms: performance.now() - started, queries: statements.length };
    };
    const start = async (personaId: string) => (await dialogue.startSession(caller, { personaId })).conversationId;
    const kinds = { plain: [] as { ms: number; queries: number }[], chatPhase: [], moving: [] } as Record<
      'plain' | 'chatPhase' | 'moving',
      { ms: number; queries: number }[]
    >;
    for (let i = 0; i < SAMPLES + 5; i++) {
      const plain = await start('desk-plain');
      const scenario = await start('desk-flow');
      const moving = await turn(scenario, '我是来参观的访客');
      const chat = await turn(scenario, '有停车场吗？');
      const answer = await turn(plain, '有停车场吗？');
      // The first five warm caches and the JIT.
      if (i < 5) continue;
      kinds.moving.push(moving);
      kinds.chatPhase.push(chat);
      kinds.plain.push(answer);
    }
    const base = percentile(
      kinds.plain.map((s) => s.ms),
      50,
    );
    for (const [kind, samples] of Object.entries(kinds)) {
      const median = percentile(
        samples.map((s) => s.ms),
        50,
      );
      const queries = percentile(
        samples.map((s) => s.queries),
        50,
      );
      console.log(
        `${database.name.padEnd(8)} ${kind.padEnd(9)} turn: median ${ms(median)} ` +
          `(${(median / base).toFixed(2)}× plain), ${queries} SQL statements`,
      );
    }
  } finally {
    counter.detach();
    await closeDatabase(db);
    await database.drop();
  }
}

/** The same database for a gateway and the one started after it (a PGlite folder, or one Postgres database). */
function kept(database: TestDatabase): TestDatabase & { dropAll(): Promise<void> } {
  const dir = database.name === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-')) : undefined;
  let target: Promise<DatabaseTarget> | undefined;
  return {
    name: database.name,
    create: () => (target ??= dir ? Promise.resolve({ kind: 'pglite', dataDir: dir }) : database.create()),
    drop: async () => undefined,
    dropAll: async () => (dir ? fs.rmSync(dir, { recursive: true, force: true }) : database.drop()),
  };
}

/**
 * How late TIMERS timers that come due together fire (the persona turn's creation minus the due
 * time): set by this gateway (a local timeout), and set before a restart (found by the poll).
 */
async function timerLag(database: TestDatabase): Promise<void> {
  const store = kept(database);
  let server: TestApp = await startTestApp(store);
  try {
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
    const frontDesk = (await (await fetch(`${server.url}/v1/personas/front-desk`, { headers })).json()) as {
      persona: Record<string, unknown>;
    };
    for (const [id, seconds] of [
      ['timer-local', 3],
      ['timer-restart', 20],
    ] as const)
      await fetch(`${server.url}/v1/personas/${id}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ ...frontDesk.persona, id, flow: flow(seconds) }),
      });
    const enter = async (personaId: string) => {
      const client = await connectChat(server.url, { key: TEST_ADMIN_KEY });
      const ids: string[] = [];
      for (let i = 0; i < TIMERS; i++) {
        const { data } = await client.request('session.start', { personaId });
        await client.ask(data.conversationId, `m-${i}`, '我是访客');
        ids.push(data.conversationId);
      }
      client.close();
      return ids;
    };
    /** How late each timer fired: the persona turn's creation after its due time (or after `readyAt`, if later). */
    const lateness = async (ids: string[], seconds: number, readyAt = 0) => {
      let rows: { created: number; due: number }[] = [];
      for (let waited = 0; waited < 90_000 && rows.length < ids.length; waited += 200) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        rows = await server.dataSource.query(
          `SELECT extract(epoch FROM t.created_at) * 1000 AS created,
             extract(epoch FROM (c.scenario_state->'path'->1->>'at')::timestamptz) * 1000 + $2 AS due
           FROM conversations c JOIN turns t ON t.conversation_id = c.id AND t.text LIKE '时间到了%'
           WHERE c.id = ANY($1)`,
          [ids, seconds * 1000],
        );
      }
      return rows.map((r) => Number(r.created) - Math.max(Number(r.due), readyAt));
    };
    const report = (label: string, late: number[]) =>
      console.log(
        `${database.name.padEnd(8)} ${TIMERS} timers due together, ${label}: fired ${late.length}, late by ` +
          `p50 ${ms(percentile(late, 50))}, p95 ${ms(percentile(late, 95))}, max ${ms(Math.max(...late))}`,
      );
    report('set here (local timeout)', await lateness(await enter('timer-local'), 3));
    const pending = await enter('timer-restart');
    await server.app.close();
    server = await startTestApp(store);
    // Found by the new gateway's poll: late counted from when it was up (or the due time, if later).
    report('set before a restart (1 s poll)', await lateness(pending, 20, Date.now()));
  } finally {
    await server.close();
    await store.dropAll();
  }
}

/** Issue 13: what a scenario adds to a turn, and how late its timers fire. */
export const scenarioBench: Bench = {
  name: 'scenario',
  async run() {
    for (const database of testDatabases()) await turnCosts(database);
    for (const database of testDatabases()) await timerLag(database);
  },
};
