import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import {
  HashingEmbedder,
  KnowledgeIndex,
  KnowledgeService,
  kdconvCases,
  selectKnowledge,
  type KdConvDialogue,
  type KnowledgeItem,
} from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { Bench } from './benches';
import { kdconvDir } from './kdconv-data';
import { syntheticTravelItems } from './knowledge-synthetic';
import { ms, percentile } from './stats';

const SIZES = [1_000, 10_000, 100_000];
const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Resolves once `done()` holds, checking on every turn of the event loop. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

function asLine(item: KnowledgeItem): string {
  return JSON.stringify({ head: item.head, relation: item.relation, tail: item.tail });
}

/**
 * The incremental selection index at 1k / 10k / 100k facts (KdConv travel repeated with renamed
 * entities): select p50/p99 over the travel dev dialogues, the time to apply one added or deleted
 * item, and write-to-visible latency through KnowledgeService — on the writing gateway, and on a
 * second one over the same Postgres server that learns of the write by LISTEN/NOTIFY. Baseline,
 * measured in the same run: a full rebuild of the index, which every write cost before.
 */
export const knowledgeIndexBench: Bench = {
  name: 'knowledge-index',
  optIn: true,
  async run() {
    const dialogues = JSON.parse(fs.readFileSync(path.join(kdconvDir(), 'dev.json'), 'utf8')) as KdConvDialogue[];
    const cases = kdconvCases(dialogues);
    const embedder = new HashingEmbedder();
    const rows: string[] = [];
    for (const size of SIZES) {
      const items = syntheticTravelItems(size);
      const started = performance.now();
      const index = new KnowledgeIndex(items, [], embedder);
      const rebuild = performance.now() - started;
      const times: number[] = [];
      // CPU time beside wall time: on shared cores the wall clock also counts other processes.
      const cpuTimes: number[] = [];
      for (const c of cases) {
        const t = performance.now();
        const cpu = process.cpuUsage();
        selectKnowledge(index, c.turns, { top: 10 });
        const used = process.cpuUsage(cpu);
        times.push(performance.now() - t);
        cpuTimes.push((used.user + used.system) / 1000);
      }
      // One fact in and out again, as an admin adds and deletes one.
      const addTimes: number[] = [];
      const removeTimes: number[] = [];
      for (let i = 0; i < 21; i++) {
        const extra: KnowledgeItem = {
          id: `extra${i}`,
          kind: 'fact',
          head: '故宫',
          relation: '吉祥物',
          tail: `紫禁猫${i}`,
        };
        let t = performance.now();
        index.add([extra]);
        addTimes.push(performance.now() - t);
        t = performance.now();
        index.remove([extra.id]);
        removeTimes.push(performance.now() - t);
      }
      const addMs = percentile(addTimes, 50);
      const removeMs = percentile(removeTimes, 50);
      const visible = await writeToVisible(items);
      rows.push(
        `${String(size).padStart(7)} | ${ms(percentile(times, 50)).padStart(9)} | ${ms(percentile(times, 99)).padStart(9)} | ` +
          `${ms(percentile(cpuTimes, 50)).padStart(9)} | ` +
          `${ms(rebuild).padStart(11)} | ${ms(addMs).padStart(10)} | ${ms(removeMs).padStart(10)} | ` +
          `${ms(visible.sameAdd).padStart(9)} | ${ms(visible.sameDelete).padStart(9)} | ` +
          `${ms(visible.otherAdd).padStart(9)} | ${ms(visible.otherDelete).padStart(9)} | ` +
          `${(rebuild / visible.otherAdd).toFixed(0)}x`,
      );
      console.log(rows[rows.length - 1]);
    }
    console.log(
      `\n  facts | select p50 | select p99 | select CPU p50 | full rebuild (baseline) | apply add | apply delete | ` +
        `visible here: add | delete | other gateway (NOTIFY): add | delete | rebuild / other add`,
    );
    for (const row of rows) console.log(row);
  },
};

/**
 * Write-to-visible through two KnowledgeService instances with their own connections to one
 * Postgres database: medians of 11 adds and 11 deletes. "Here" is when the writing call returns
 * (it applies its own change first); "other" is when the second gateway's index holds the version.
 */
async function writeToVisible(
  items: KnowledgeItem[],
): Promise<{ sameAdd: number; sameDelete: number; otherAdd: number; otherDelete: number }> {
  const name = `zhibing_bench_kindex_${process.pid}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const writerDb = await openDatabase({ kind: 'postgres', url: url.toString() });
  const readerDb = await openDatabase({ kind: 'postgres', url: url.toString() }, { migrate: false });
  const long = 3_600_000;
  const writer = new KnowledgeService(writerDb, { versionCheckMs: long });
  const reader = new KnowledgeService(readerDb, { versionCheckMs: long });
  try {
    const workspaceId = await ensureWorkspace(writerDb);
    const imported = await writer.importFile(workspaceId, 'kb', 'triples', items.map(asLine).join('\n'));
    const kbId = imported.knowledgeBase.id;
    await writer.index(kbId);
    await reader.index(kbId);
    const same = { add: [] as number[], delete: [] as number[] };
    const other = { add: [] as number[], delete: [] as number[] };
    for (let i = 0; i < 11; i++) {
      for (const op of ['add', 'delete'] as const) {
        const target = (writer.indexVersion(kbId) ?? 0) + 1;
        const started = performance.now();
        const otherSeen = until(() => (reader.indexVersion(kbId) ?? 0) >= target).then(
          () => performance.now() - started,
        );
        if (op === 'add') {
          const added = await writer.addItem(kbId, {
            type: 'triple',
            head: '故宫',
            relation: '吉祥物',
            tail: `紫禁猫${i}`,
          });
          lastAdded.set(kbId, added.id);
        } else {
          await writer.deleteItem(kbId, lastAdded.get(kbId)!);
        }
        same[op].push(performance.now() - started);
        other[op].push(await otherSeen);
      }
    }
    return {
      sameAdd: percentile(same.add, 50),
      sameDelete: percentile(same.delete, 50),
      otherAdd: percentile(other.add, 50),
      otherDelete: percentile(other.delete, 50),
    };
  } finally {
    await writer.close();
    await reader.close();
    await closeDatabase(readerDb);
    await closeDatabase(writerDb);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const lastAdded = new Map<string, string>();
