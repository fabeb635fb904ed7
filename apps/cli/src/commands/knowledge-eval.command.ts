import * as fs from 'node:fs';
import type { Command } from 'commander';
import { HashingEmbedder, KnowledgeIndex, kdconvCases, kdconvItems, recallAtK, selectKnowledge, type KdConvDialogue, type KdConvKb } from '@zhibing/knowledge';

export function registerKnowledgeEvalCommand(knowledge: Command): void {
  knowledge
    .command('eval')
    .description('Recall@k of knowledge selection on KdConv-format data (kb.json + dialogues)')
    .requiredOption('--kb-file <file>', 'KdConv kb.json: {entity: [[head, relation, tail], ...]}')
    .requiredOption('--dialogs <file>', 'KdConv dialogues (dev.json / test.json)')
    .option('--k <list>', 'comma-separated k values', '1,3,5,10')
    .option('--alpha <number>', 'recency decay of history weighting', '0.5')
    .action((options: { kbFile: string; dialogs: string; k: string; alpha: string }) => {
      const ks = options.k.split(',').map((k) => Number.parseInt(k, 10));
      const kb = JSON.parse(fs.readFileSync(options.kbFile, 'utf8')) as KdConvKb;
      const dialogues = JSON.parse(fs.readFileSync(options.dialogs, 'utf8')) as KdConvDialogue[];
      const started = performance.now();
      const index = new KnowledgeIndex(kdconvItems(kb), [], new HashingEmbedder());
      const built = performance.now();
      const cases = kdconvCases(dialogues);
      const top = Math.max(...ks);
      const report = recallAtK(cases, (c) => selectKnowledge(index, c.turns, { top, alpha: Number(options.alpha) }).map((r) => r.item), ks);
      const done = performance.now();
      for (const k of ks) process.stdout.write(`R@${k}\t${report.recall[k].toFixed(4)}\n`);
      process.stdout.write(`cases\t${report.cases}\ntriples\t${report.triples}\n`);
      process.stderr.write(`index ${Math.round(built - started)} ms, selection ${((done - built) / cases.length).toFixed(2)} ms/case\n`);
    });
}
