import * as fs from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { decodeImportText, IMPORT_FORMATS, type ImportFormat } from '@zhibing/knowledge';
import { ZhibingError } from '@zhibing/protocol';
import { printJson } from '../cli-context';
import { withKnowledge } from '../knowledge-context';

export function registerKnowledgeImportCommand(knowledge: Command): void {
  knowledge
    .command('import')
    .description('Import a file into a knowledge base (created if missing); idempotent, bad lines are reported')
    .requiredOption('--kb <name>', 'knowledge base name')
    .requiredOption('--format <format>', `one of ${IMPORT_FORMATS.join(', ')} (triples also reads KdConv kb.json)`)
    .option('--workspace <name>', 'workspace name', 'default')
    .option('--quiet', 'no progress bar')
    .argument('<file>', 'the file to import')
    .action(async (file: string, options: { kb: string; format: string; workspace: string; quiet?: boolean }) => {
      if (!IMPORT_FORMATS.includes(options.format as ImportFormat)) {
        throw new ZhibingError('import_invalid', `--format must be one of ${IMPORT_FORMATS.join(', ')}`);
      }
      if (!fs.existsSync(file)) throw new ZhibingError('import_invalid', `no such file: ${file}`);
      const content = decodeImportText(fs.readFileSync(file));
      const bar =
        options.quiet || !process.stderr.isTTY
          ? null
          : new SingleBar({ stream: process.stderr, format: 'importing [{bar}] {value}/{total} records' });
      const report = await withKnowledge(options.workspace, (service, workspaceId) =>
        service.importFile(workspaceId, options.kb, options.format as ImportFormat, content, (done, total) => {
          if (!bar) return;
          if (done <= 2000) bar.start(total, 0);
          bar.update(done);
        }),
      );
      bar?.stop();
      for (const rejected of report.rejected.slice(0, 50))
        process.stderr.write(`line ${rejected.line}: ${rejected.reason}\n`);
      if (report.rejected.length > 50)
        process.stderr.write(`… and ${report.rejected.length - 50} more rejected lines\n`);
      process.stderr.write(
        `${report.knowledgeBase.name}: ${report.inserted} added, ${report.unchanged} unchanged, ${report.rejected.length} rejected of ${report.lines} lines in ${report.ms} ms\n`,
      );
      printJson({ ...report, rejected: report.rejected });
      if (report.rejected.length > 0) process.exitCode = 3;
    });
}
