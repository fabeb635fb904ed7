import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  kdconvCases,
  linkThenBm25,
  recallAtK,
  KnowledgeService,
  type KdConvDialogue,
  type SelectionCase,
} from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { Bench } from './benches';
import { kdconvDir } from './kdconv-data';
import { ms, percentile, timeEach } from './stats';

/**
 * Knowledge selection on the KdConv travel KB (≈11k triples) over the embedded store: import
 * time, select latency per dialogue (p50/p99) and recall, against the link-then-BM25 baseline.
 */
export const knowledgeBench: Bench = {
  name: 'knowledge',
  async run() {
    const dir = kdconvDir();
    const kbFile = fs.readFileSync(path.join(dir, 'kb.json'), 'utf8');
    const dialogues = JSON.parse(fs.readFileSync(path.join(dir, 'dev.json'), 'utf8')) as KdConvDialogue[];
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-kb-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: folder });
    try {
      const service = new KnowledgeService(db);
      const workspaceId = await ensureWorkspace(db);
      const imported = await service.importFile(workspaceId, 'travel', 'triples', kbFile);
      const reimported = await service.importFile(workspaceId, 'travel', 'triples', kbFile);
      console.log(
        `import (PGlite): ${imported.inserted} items in ${imported.ms} ms; ` +
          `re-import (idempotent, ${reimported.inserted} added) ${reimported.ms} ms`,
      );

      const kbId = imported.knowledgeBase.id;
      const indexStarted = performance.now();
      const index = await service.index(kbId);
      console.log(`selection index build: ${ms(performance.now() - indexStarted)} (${index.items.length} items)`);

      const cases: SelectionCase[] = kdconvCases(dialogues);
      const selections = new Map<string, { head?: string; relation?: string; tail?: string }[]>();
      const times = await timeEach(cases, async (c) => {
        selections.set(
          c.id,
          (await service.select(kbId, c.turns, 10)).items.map((r) => r.item),
        );
      });
      const baselineTimes = await timeEach(cases, (c) => linkThenBm25(index, c.turns, 10));
      const ks = [1, 3, 5, 10];
      const full = recallAtK(cases, (c) => selections.get(c.id)!, ks);
      const baseline = recallAtK(cases, (c) => linkThenBm25(index, c.turns, 10), ks);

      console.log(
        `select per dialogue (embedded store, ${cases.length} dialogues): ` +
          `p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}  [goal p50 ≤ 5 ms, p99 ≤ 25 ms]`,
      );
      console.log(
        `baseline link-then-BM25:                    ` +
          `p50 ${ms(percentile(baselineTimes, 50))}, p99 ${ms(percentile(baselineTimes, 99))}`,
      );
      console.log(`recall      ${ks.map((k) => `R@${k}`.padStart(7)).join('')}`);
      console.log(`zhibing     ${ks.map((k) => full.recall[k].toFixed(3).padStart(7)).join('')}`);
      console.log(`link+BM25   ${ks.map((k) => baseline.recall[k].toFixed(3).padStart(7)).join('')}`);
      console.log(`R@5 ratio zhibing / link-then-BM25: ${(full.recall[5] / baseline.recall[5]).toFixed(2)}x`);
    } finally {
      await closeDatabase(db);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  },
};
