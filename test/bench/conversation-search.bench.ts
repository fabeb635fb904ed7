import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationSearchRepository } from '@zhibing/dialogue';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { Bench } from './benches';
import { ms, percentile, timeEach } from './stats';

const CONVERSATIONS = 5000;
const TURNS = 10;

/**
 * Conversation search on the embedded store over 5,000 conversations of 10 turns (50k turns):
 * a page with its total, filtered by persona, against the same with a turn-text `q` (ILIKE, no
 * index: it scans the turns), for a word in few conversations and a word in none.
 */
export const conversationSearchBench: Bench = {
  name: 'conversation-search',
  async run() {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-search-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: folder });
    try {
      const workspaceId = await ensureWorkspace(db);
      await db.query(
        `INSERT INTO conversations (workspace_id, persona_slug, persona_version, channel, created_at)
         SELECT $1, CASE WHEN g % 2 = 0 THEN 'hua-zhibing' ELSE 'lin-daiyu' END, 1, 'widget',
                now() - g * interval '1 minute'
         FROM generate_series(1, $2) g`,
        [workspaceId, CONVERSATIONS],
      );
      await db.query(
        `INSERT INTO turns (conversation_id, seq, role, text, status)
         SELECT c.id, s, CASE WHEN s % 2 = 0 THEN 'user' ELSE 'persona' END,
                '第' || s || '句：谷爱凌在北京冬奥会上获得了金牌，她说滑雪让她快乐。' ||
                CASE WHEN s = 3 AND random() < 0.01 THEN '潇湘馆' ELSE '' END, 'complete'
         FROM conversations c CROSS JOIN generate_series(1, $1) s`,
        [TURNS],
      );
      const search = new ConversationSearchRepository(db);
      const queries = Array.from({ length: 30 }, () => 0);
      const run = (filter: Record<string, string>) =>
        timeEach(queries, () => search.search(workspaceId, { ...filter, limit: 50, offset: 0 }));
      const cases: [string, Record<string, string>][] = [
        ['persona filter (baseline)', { personaId: 'hua-zhibing' }],
        ['q in ~1% of conversations', { q: '潇湘馆' }],
        ['q in none', { q: '不存在的词' }],
        ['q + persona', { q: '潇湘馆', personaId: 'hua-zhibing' }],
      ];
      const baseline = percentile(await run(cases[0][1]), 50);
      console.log(`${CONVERSATIONS} conversations × ${TURNS} turns (PGlite), 30 searches each, page of 50 + total:`);
      for (const [name, filter] of cases) {
        const times = await run(filter);
        const p50 = percentile(times, 50);
        console.log(
          `  ${name}: p50 ${ms(p50)}, p99 ${ms(percentile(times, 99))}; ${(p50 / baseline).toFixed(1)}× the baseline`,
        );
      }
    } finally {
      await closeDatabase(db);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  },
};
