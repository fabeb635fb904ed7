import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareTurn, type TurnRecord } from '@zhibing/dialogue';
import { kdconvCases, type KdConvDialogue, KnowledgeService } from '@zhibing/knowledge';
import { personaSchema } from '@zhibing/persona';
import { glmBlankInfilling, segmentsToString } from '@zhibing/prompt';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { Bench } from './benches';
import { kdconvDir } from './kdconv-data';
import { ms, percentile, timeEach } from './stats';

/** 50 earlier turns taken from KdConv dialogues, alternating user and persona. */
function history(dialogues: KdConvDialogue[], length: number): TurnRecord[] {
  const texts = dialogues.flatMap((d) => d.messages.map((m) => m.message)).slice(0, length);
  return texts.map((text, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    seq: i + 1,
    role: i % 2 === 0 ? 'user' : 'persona',
    text,
    status: 'complete',
    clientMessageId: null,
    replyTo: i % 2 === 1 ? `00000000-0000-4000-8000-${String(i - 1).padStart(12, '0')}` : null,
    trace: null,
    createdAt: new Date().toISOString(),
    completedAt: null,
  }));
}

/**
 * Per-turn pipeline overhead, engine excluded: history selection over 50 turns, knowledge
 * selection on the KdConv travel KB (embedded store), GLM prompt rendering. Baseline in the same
 * run: the pipeline with no knowledge base (history + prompt only).
 */
export const pipelineBench: Bench = {
  name: 'pipeline',
  async run() {
    const dir = kdconvDir();
    const dialogues = JSON.parse(fs.readFileSync(path.join(dir, 'dev.json'), 'utf8')) as KdConvDialogue[];
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-pipeline-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: folder });
    try {
      const knowledge = new KnowledgeService(db);
      const workspaceId = await ensureWorkspace(db);
      const imported = await knowledge.importFile(
        workspaceId,
        'travel',
        'triples',
        fs.readFileSync(path.join(dir, 'kb.json'), 'utf8'),
      );
      const kbId = imported.knowledgeBase.id;
      await knowledge.index(kbId);
      const persona = personaSchema.parse({
        id: 'guide',
        name: '导游',
        profile: '北京的导游',
        greeting: '你好',
        knowledgeBases: ['travel'],
      });
      const earlier = history(dialogues.slice(100), 50);
      const probes = kdconvCases(dialogues)
        .slice(0, 300)
        .map((c) => c.turns[c.turns.length - 1]);
      const countTokens = (text: string) => Math.ceil(text.length * 0.8);
      const run = (kbIds: string[]) => async (current: string) => {
        const prepared = await prepareTurn({
          persona,
          knowledgeBaseIds: kbIds,
          knowledge,
          earlierTurns: earlier,
          current,
          countTokens,
          historyBudget: 512,
        });
        return countTokens(segmentsToString(glmBlankInfilling(prepared.prompt)));
      };
      await timeEach(probes.slice(0, 20), run([kbId])); // warm-up
      const full = await timeEach(probes, run([kbId]));
      const baseline = await timeEach(probes, run([]));
      console.log(
        `pipeline per turn (50 turns of history, KdConv KB, ${probes.length} turns): p50 ${ms(percentile(full, 50))}, p99 ${ms(percentile(full, 99))}  [goal p50 ≤ 10 ms]`,
      );
      console.log(
        `baseline without knowledge (history + prompt only):     p50 ${ms(percentile(baseline, 50))}, p99 ${ms(percentile(baseline, 99))}`,
      );
      console.log(`knowledge share of p50: ${ms(percentile(full, 50) - percentile(baseline, 50))}`);
    } finally {
      await closeDatabase(db);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  },
};
