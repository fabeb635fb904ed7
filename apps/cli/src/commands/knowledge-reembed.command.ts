import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { printJson } from '../cli-context';
import { withKnowledge } from '../knowledge-context';

export function registerKnowledgeReembedCommand(knowledge: Command): void {
  knowledge
    .command('reembed')
    .description('Embed every item of a knowledge base with the configured embedder (ZHIBING_EMBEDDER); resumable')
    .requiredOption('--kb <name>', 'knowledge base name or id')
    .option('--workspace <name>', 'workspace name', 'default')
    .option('--quiet', 'no progress bar')
    .action(async (options: { kb: string; workspace: string; quiet?: boolean }) => {
      const bar =
        options.quiet || !process.stderr.isTTY
          ? null
          : new SingleBar({
              stream: process.stderr,
              format: 'embedding [{bar}] {value}/{total} items | {eta_formatted} left',
            });
      const report = await withKnowledge(options.workspace, async (service, workspaceId) => {
        const kb = await service.requireKnowledgeBase(workspaceId, options.kb);
        process.stderr.write(`${kb.name}: embedding with ${service.embedder.id}\n`);
        let started = false;
        return service.reembed(kb.id, (done, total) => {
          if (!bar) return;
          if (!started) bar.start(total, done);
          started = true;
          bar.update(done);
        });
      }).finally(() => bar?.stop());
      process.stderr.write(
        `${report.knowledgeBase.name}: ${report.embedded} embedded, ${report.skipped} already embedded with ${report.embedder}, ` +
          `${report.items} items in ${report.ms} ms\n`,
      );
      printJson(report);
    });
}
