import type { Command } from 'commander';
import { registerKnowledgeEvalCommand } from './knowledge-eval.command';
import { registerKnowledgeExportCommand } from './knowledge-export.command';
import { registerKnowledgeImportCommand } from './knowledge-import.command';
import { registerKnowledgeImportDocCommand } from './knowledge-import-doc.command';
import { registerKnowledgeReembedCommand } from './knowledge-reembed.command';
import { registerKnowledgeSelectCommand } from './knowledge-select.command';

export function registerKnowledgeCommand(program: Command): void {
  const knowledge = program
    .command('knowledge')
    .description('Knowledge bases: import (files and documents), export, select, evaluate, re-embed');
  registerKnowledgeImportCommand(knowledge);
  registerKnowledgeImportDocCommand(knowledge);
  registerKnowledgeSelectCommand(knowledge);
  registerKnowledgeExportCommand(knowledge);
  registerKnowledgeEvalCommand(knowledge);
  registerKnowledgeReembedCommand(knowledge);
}
