import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { DocumentImportService } from '@zhibing/knowledge';
import { MAX_DOCUMENT_BYTES, ZhibingError } from '@zhibing/protocol';
import { printJson } from '../cli-context';
import { withKnowledge } from '../knowledge-context';

export function registerKnowledgeImportDocCommand(knowledge: Command): void {
  knowledge
    .command('import-doc')
    .description('Import a document (.md, .txt, .html, .pdf, .docx) as passages into a knowledge base')
    .requiredOption('--kb <name>', 'knowledge base name (created if missing)')
    .option('--workspace <name>', 'workspace name', 'default')
    .argument('<file>', 'the document')
    .action(async (file: string, options: { kb: string; workspace: string }) => {
      if (!fs.existsSync(file)) throw new ZhibingError('document_not_found', `no such file: ${file}`);
      const bytes = fs.readFileSync(file);
      const report = await withKnowledge(options.workspace, async (service, workspaceId, db) => {
        const documents = new DocumentImportService(db, service, { maxBytes: MAX_DOCUMENT_BYTES });
        const { kb, created } = await service.repository.ensureKnowledgeBase(workspaceId, options.kb);
        try {
          return await documents.import(workspaceId, kb.id, { name: path.basename(file), bytes });
        } catch (error) {
          // A refused document leaves no new, empty base behind.
          if (created) await service.repository.deleteKnowledgeBase(kb.id);
          throw error;
        }
      });
      process.stderr.write(
        `${report.knowledgeBase.name}: ${report.document.name} → ${report.passages} passages (${report.inserted} new) in ${report.ms} ms\n`,
      );
      printJson(report);
    });
}
