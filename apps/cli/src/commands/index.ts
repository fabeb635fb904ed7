import type { Command } from 'commander';
import { registerEvalCommand } from './eval.command';
import { registerGenerateCommand } from './generate.command';
import { registerHealthCommand } from './health.command';
import { registerKeysCommand } from './keys.command';
import { registerKnowledgeCommand } from './knowledge.command';
import { registerMigrateCommand } from './migrate.command';
import { registerModelCommand } from './model.command';
import { registerQuestionBanksCommand } from './question-banks.command';

/** Every CLI command registers itself on the program here; one import and one line per command file. */
export function registerCommands(program: Command): void {
  registerMigrateCommand(program);
  registerKeysCommand(program);
  registerHealthCommand(program);
  registerKnowledgeCommand(program);
  registerModelCommand(program);
  registerGenerateCommand(program);
  registerEvalCommand(program);
  registerQuestionBanksCommand(program);
}
