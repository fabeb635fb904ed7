import type { Command } from 'commander';
import { IMPORT_FORMATS, type ImportFormat } from '@zhibing/knowledge';
import { ZhibingError } from '@zhibing/protocol';
import { printJson } from '../cli-context';
import { withKnowledge } from '../knowledge-context';

export function registerKnowledgeExportCommand(knowledge: Command): void {
  knowledge
    .command('export')
    .description('Export a knowledge base to stdout in an import format')
    .requiredOption('--kb <name>', 'knowledge base name')
    .requiredOption('--format <format>', IMPORT_FORMATS.join(', '))
    .option('--workspace <name>', 'workspace name', 'default')
    .action(async (options: { kb: string; format: string; workspace: string }) => {
      if (!IMPORT_FORMATS.includes(options.format as ImportFormat))
        throw new ZhibingError('export_invalid', `--format must be one of ${IMPORT_FORMATS.join(', ')}`);
      await withKnowledge(options.workspace, async (service, workspaceId) => {
        const kb = await service.requireKnowledgeBase(workspaceId, options.kb);
        for await (const line of service.exportLines(kb.id, options.format as ImportFormat))
          process.stdout.write(`${line}\n`);
      });
    });

  knowledge
    .command('list')
    .description('List the knowledge bases of a workspace')
    .option('--workspace <name>', 'workspace name', 'default')
    .action(async (options: { workspace: string }) => {
      await withKnowledge(options.workspace, async (service, workspaceId) =>
        printJson(await service.repository.listKnowledgeBases(workspaceId)),
      );
    });
}
