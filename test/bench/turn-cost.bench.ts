import * as path from 'node:path';
import { DialogueService, loadConversationScripts, RetrievalResponder } from '@zhibing/dialogue';
import { KnowledgeService } from '@zhibing/knowledge';
import { loadPersonaFiles, PersonaRepository, syncPersonas } from '@zhibing/persona';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import { QueryCounter } from '../support/query-counter';
import { testDatabases } from '../support/test-databases';
import type { Bench } from './benches';
import { idleSocketFigures } from './idle-sockets';
import { ms, percentile } from './stats';

const ROOT = path.join(__dirname, '..', '..', '..');
/** Conversation lengths (earlier exchanges) at which a turn is measured (10: the knowledge context is full). */
const LENGTHS = [1, 10, 100, 400];
/** Turns measured at each length (medians of these). */
const SAMPLES = 15;

const nullSink = { emit: () => undefined };

interface Figures {
  medianMs: number;
  /** This process's CPU time per turn: the database's too on PGlite, steadier than wall time on a busy machine. */
  cpuMs: number;
  queries: number;
}

interface Sample {
  ms: number;
  cpuMs: number;
  queries: number;
}

/** 华智冰's scripted user turns, cycled: realistic text, knowledge hits, repeats and fallbacks. */
function utterances(): string[] {
  return loadConversationScripts(path.join(ROOT, 'eval', 'conversations'))
    .filter((s) => s.personaId === 'hua-zhibing')
    .flatMap((s) => s.turns.map((t) => t.user));
}

/**
 * One store: a retrieval turn (message stored → reply stored, engine-free) measured at 1, 100 and
 * 400 earlier exchanges, each the median of SAMPLES turns, with the SQL statements each turn sent.
 */
async function turnCostOn(database: ReturnType<typeof testDatabases>[number]): Promise<Map<number, Figures>> {
  const db = await openDatabase(await database.create());
  const counter = new QueryCounter(db);
  try {
    const knowledge = new KnowledgeService(db);
    const personas = new PersonaRepository(db);
    const workspaceId = await ensureWorkspace(db);
    await syncPersonas(workspaceId, loadPersonaFiles(path.join(ROOT, 'persona')), personas, knowledge);
    const dialogue = new DialogueService(db, knowledge, personas, new RetrievalResponder());
    const caller = { workspaceId, channel: 'bench' };
    const texts = utterances();
    let sent = 0;
    const turn = async (conversationId: string, text = texts[sent % texts.length]) => {
      const clientMessageId = `m-${sent++}`;
      await dialogue.sendMessage(caller, { conversationId, clientMessageId, text }, nullSink);
      await dialogue.whenIdle();
    };
    const measured = async (conversationId: string, text: string): Promise<Sample> => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const { statements } = await counter.during(() => turn(conversationId, text));
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, queries: statements.length };
    };
    const start = async () => (await dialogue.startSession(caller, { personaId: 'hua-zhibing' })).conversationId;

    // Warm-up: caches (personas, knowledge bases, the selection index) and the JIT.
    const warm = await start();
    for (let i = 0; i < 20; i++) await turn(warm);

    // Conversations of each length first; then rounds, each one measured turn per length, so a
    // busy machine's drift falls on every length alike.
    const conversations = new Map<number, string[]>();
    for (const length of LENGTHS) {
      // The shortest needs a fresh conversation per sample; a long one grows by one exchange a sample.
      const count = length <= 1 ? SAMPLES : 1;
      const made: string[] = [];
      for (let c = 0; c < count; c++) {
        const conversationId = await start();
        for (let i = 0; i < length; i++) await turn(conversationId);
        made.push(conversationId);
      }
      conversations.set(length, made);
    }
    const samples = new Map<number, Sample[]>(LENGTHS.map((l) => [l, []]));
    for (let round = 0; round < SAMPLES; round++) {
      for (const length of LENGTHS) {
        const made = conversations.get(length)!;
        // The same words at every length: only the conversation's length differs.
        samples.get(length)!.push(await measured(made[Math.min(round, made.length - 1)], texts[round % texts.length]));
      }
    }
    const median = (of: Sample[], key: keyof Sample) =>
      percentile(
        of.map((s) => s[key]),
        50,
      );
    const results = new Map<number, Figures>();
    for (const [length, of] of samples) {
      results.set(length, { medianMs: median(of, 'ms'), cpuMs: median(of, 'cpuMs'), queries: median(of, 'queries') });
    }
    return results;
  } finally {
    counter.detach();
    await closeDatabase(db);
    await database.drop();
  }
}

/**
 * Issue 14: a turn costs the same at 400 exchanges as at 1 (ratio 400/1, target ≤ 1.3×), with its
 * SQL statements counted, on embedded PGlite and on the Postgres server; and what an idle chat
 * socket costs the gateway in memory, against bare socket.io measured in the same run.
 */
export const turnCostBench: Bench = {
  name: 'turn-cost',
  async run() {
    for (const database of testDatabases()) {
      const results = await turnCostOn(database);
      const first = results.get(1)!;
      for (const [length, figures] of results) {
        console.log(
          `${database.name.padEnd(8)} retrieval turn after ${String(length).padStart(3)} exchanges: ` +
            `median ${ms(figures.medianMs)} (${(figures.medianMs / first.medianMs).toFixed(2)}× the turn after 1), ` +
            `CPU ${ms(figures.cpuMs)} (${(figures.cpuMs / first.cpuMs).toFixed(2)}×), ${figures.queries} SQL statements`,
        );
      }
    }
    await idleSocketFigures();
  },
};
