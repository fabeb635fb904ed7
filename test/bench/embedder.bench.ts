import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HashingEmbedder, KnowledgeIndex, KnowledgeService, OpenAiEmbedderAdapter } from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import { startEmbeddingsServer } from '../support/embeddings-server';
import type { Bench } from './benches';
import { kdconvDir } from './kdconv-data';
import { ms } from './stats';

/**
 * The configured embedder on the KdConv travel KB (≈11k items, embedded PGlite): building the
 * selection index from the vectors stored in Postgres against embedding every item again (what
 * the index did before), and re-embedding the base through an OpenAI-compatible HTTP server on
 * loopback (the test server's toy model: the figure is our overhead, not a real model's speed).
 */
export const embedderBench: Bench = {
  name: 'embedder',
  async run() {
    const kbFile = fs.readFileSync(path.join(kdconvDir(), 'kb.json'), 'utf8');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-embedder-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: folder });
    const server = await startEmbeddingsServer({ dims: 256 });
    try {
      const hashing = new KnowledgeService(db);
      const kbId = (await hashing.importFile(await ensureWorkspace(db), 'travel', 'triples', kbFile)).knowledgeBase.id;

      // The same vectors two ways: read back from Postgres (an embedder that only embeds
      // asynchronously, as a model-backed one), or recomputed in memory by the hashing embedder.
      const hashingEmbedder = new HashingEmbedder();
      const asyncOnly = {
        id: hashingEmbedder.id,
        dimensions: hashingEmbedder.dimensions,
        embed: (t: string[]) => hashingEmbedder.embed(t),
      };
      const median = async (build: () => Promise<KnowledgeIndex>) => {
        const times: number[] = [];
        for (let run = 0; run < 5; run++) {
          const started = performance.now();
          await build();
          times.push(performance.now() - started);
        }
        return times.sort((x, y) => x - y)[2];
      };
      const storedMs = await median(() => new KnowledgeService(db, { embedder: asyncOnly }).index(kbId));
      const freshMs = await median(async () => {
        const { items, entities } = await hashing.repository.loadForIndex(kbId);
        return new KnowledgeIndex(items, entities, hashingEmbedder);
      });
      const size = (await hashing.index(kbId)).items.length;
      console.log(
        `index build, ${size} items (median of 5): stored vectors ${ms(storedMs)}; recomputing every vector (hashing) ${ms(freshMs)}`,
      );

      const remote = new KnowledgeService(db, {
        embedder: new OpenAiEmbedderAdapter({ url: server.url, model: 'bench', dimensions: 256, batchSize: 64 }),
      });
      const report = await remote.reembed(kbId);
      console.log(
        `reembed over HTTP (batches of 64, PGlite): ${report.embedded} items in ${ms(report.ms)} (${Math.round(report.embedded / (report.ms / 1000))} items/s), ${server.requests} requests`,
      );
      const again = await remote.reembed(kbId);
      console.log(`reembed again (nothing missing): ${again.skipped} skipped in ${ms(again.ms)}`);
      const requests = server.requests;
      const build = performance.now();
      await remote.index(kbId);
      console.log(
        `index build with the HTTP embedder after reembed: ${ms(performance.now() - build)}, ${server.requests - requests} requests`,
      );
    } finally {
      await server.close();
      await closeDatabase(db);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  },
};
