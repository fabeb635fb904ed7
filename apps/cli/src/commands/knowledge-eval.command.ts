import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { evaluateDomain, type DomainReport, type KdConvDialogue, type KdConvKb } from '@zhibing/knowledge';

interface EvalOptions {
  kbFile?: string;
  dialogs?: string;
  dataDir?: string;
  split: string;
  k: string;
  alpha: string;
  halves?: boolean;
  speakers?: boolean;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** Every `<domain>/kb.json` + `<domain>/<split>` under the data folder (kdconv-travel, kdconv-film, …). */
function domains(dataDir: string, split: string): { name: string; kb: string; dialogs: string }[] {
  if (!fs.existsSync(dataDir))
    throw new Error(`data folder not found: ${dataDir} (give --data-dir, or --kb-file and --dialogs)`);
  return fs
    .readdirSync(dataDir)
    .sort()
    .map((name) => ({
      name: name.replace(/^kdconv-/, ''),
      kb: path.join(dataDir, name, 'kb.json'),
      dialogs: path.join(dataDir, name, split),
    }))
    .filter((d) => fs.existsSync(d.kb) && fs.existsSync(d.dialogs));
}

const row = (label: string, recall: Record<number, number>, ks: number[]) =>
  `${label.padEnd(28)}${ks.map((k) => recall[k].toFixed(3).padStart(8)).join('')}\n`;

function printDomain(name: string, report: DomainReport, ks: number[], halves?: [DomainReport, DomainReport]): void {
  const out = process.stdout;
  out.write(
    `\n${name}: ${report.ours.cases} cases, ${report.ours.triples} gold triples; ` +
      `${report.selectMs.toFixed(2)} ms/case\n`,
  );
  out.write(`${''.padEnd(28)}${ks.map((k) => `R@${k}`.padStart(8)).join('')}\n`);
  out.write(row('  zhibing', report.ours.recall, ks));
  out.write(row('  link-then-BM25', report.baseline.recall, ks));
  if (halves) {
    out.write(row('  zhibing, even dialogues', halves[0].ours.recall, ks));
    out.write(row('  zhibing, odd dialogues', halves[1].ours.recall, ks));
  }
}

export function registerKnowledgeEvalCommand(knowledge: Command): void {
  knowledge
    .command('eval')
    .description(
      'Recall@k of knowledge selection on KdConv-format data beside a link-then-BM25 baseline: ' +
        'one data set (--kb-file, --dialogs) or every domain under --data-dir',
    )
    .option('--kb-file <file>', 'KdConv kb.json: {entity: [[head, relation, tail], ...]}')
    .option('--dialogs <file>', 'KdConv dialogues (dev.json / test.json)')
    .option(
      '--data-dir <dir>',
      'folder of domains, each with kb.json and the split (default: ../shared/data beside the repository)',
    )
    .option('--split <file>', 'dialogue file of each domain under --data-dir', 'dev.json')
    .option('--k <list>', 'comma-separated k values', '1,3,5,10')
    .option('--alpha <number>', 'recency decay of history weighting', '0.5')
    .option('--halves', 'also report the even and odd dialogues separately (the figures should agree)')
    .option('--speakers', "read the dialogues as user and persona turns (the predicted message's side is the persona)")
    .action((options: EvalOptions) => {
      const ks = options.k.split(',').map((k) => Number.parseInt(k, 10));
      const base = { alpha: Number(options.alpha), speakers: options.speakers };
      const halvesOf = (kb: KdConvKb, dialogues: KdConvDialogue[]): [DomainReport, DomainReport] => [
        evaluateDomain(kb, dialogues, ks, { ...base, filter: (d) => d % 2 === 0 }),
        evaluateDomain(kb, dialogues, ks, { ...base, filter: (d) => d % 2 === 1 }),
      ];
      if (options.kbFile || options.dialogs) {
        if (!options.kbFile || !options.dialogs) throw new Error('--kb-file and --dialogs go together');
        const kb = readJson<KdConvKb>(options.kbFile);
        const dialogues = readJson<KdConvDialogue[]>(options.dialogs);
        const report = evaluateDomain(kb, dialogues, ks, base);
        // The single-data-set output stays as it was (scripts read it); the baseline goes to stderr.
        for (const k of ks) process.stdout.write(`R@${k}\t${report.ours.recall[k].toFixed(4)}\n`);
        process.stdout.write(`cases\t${report.ours.cases}\ntriples\t${report.ours.triples}\n`);
        process.stderr.write(
          `baseline (link-then-BM25) ${ks.map((k) => `R@${k} ${report.baseline.recall[k].toFixed(4)}`).join(', ')}\n`,
        );
        process.stderr.write(
          `index ${Math.round(report.indexMs)} ms, selection ${report.selectMs.toFixed(2)} ms/case\n`,
        );
        if (options.halves) printDomain('halves', report, ks, halvesOf(kb, dialogues));
        return;
      }
      const dataDir = path.resolve(options.dataDir ?? path.join(process.cwd(), '..', 'shared', 'data'));
      const found = domains(dataDir, options.split);
      if (found.length === 0) throw new Error(`no domain with kb.json and ${options.split} under ${dataDir}`);
      for (const domain of found) {
        const kb = readJson<KdConvKb>(domain.kb);
        const dialogues = readJson<KdConvDialogue[]>(domain.dialogs);
        printDomain(
          domain.name,
          evaluateDomain(kb, dialogues, ks, base),
          ks,
          options.halves ? halvesOf(kb, dialogues) : undefined,
        );
      }
    });
}
