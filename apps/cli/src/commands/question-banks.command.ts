import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PersonaRepository } from '@zhibing/persona';
import { ZhibingError } from '@zhibing/protocol';
import { parseQuestionBank, QuestionBankRepository, questionBankYaml } from '@zhibing/scenario';
import { ensureWorkspace } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { QuestionBanksService } from '../../../gateway/src/question-banks/question-banks.service';
import { printJson, withDatabase } from '../cli-context';

const banksOf = (db: DataSource) => new QuestionBanksService(new QuestionBankRepository(db), new PersonaRepository(db));

/** `question-banks import <file>` (YAML or JSON), `export <role>`, `list`: interview question banks. */
export function registerQuestionBanksCommand(program: Command): void {
  const banks = program.command('question-banks').description('Interview question banks, one per role');
  banks
    .command('import <file>')
    .description("Store a bank from a YAML or JSON file (replaces the role's bank)")
    .option('--workspace <name>', 'workspace name (created if missing)', 'default')
    .action(async (file: string, options: { workspace: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new ZhibingError('file_not_found', `Cannot read ${file}: ${(error as Error).message}`);
      }
      const bank = parseQuestionBank(text);
      await withDatabase(async (db) => {
        const workspaceId = await ensureWorkspace(db, options.workspace);
        const saved = await banksOf(db).put(workspaceId, bank.role, bank);
        printJson({ role: bank.role, questions: bank.questions.length, created: saved.created });
      });
    });
  banks
    .command('export <role>')
    .description('Print the bank interviews for the role use (stored, else the persona’s own)')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('--workspace <name>', 'workspace name', 'default')
    .action(async (role: string, options: { format: string; workspace: string }) => {
      if (options.format !== 'yaml' && options.format !== 'json')
        throw new ZhibingError('export_invalid', '--format must be yaml or json');
      await withDatabase(async (db) => {
        const bank = await banksOf(db).get(await ensureWorkspace(db, options.workspace), role);
        if (options.format === 'json') printJson(bank);
        else process.stdout.write(questionBankYaml(bank));
      });
    });
  banks
    .command('list')
    .description('List the banks: stored ones and those personas ship with')
    .option('--workspace <name>', 'workspace name', 'default')
    .action(async (options: { workspace: string }) => {
      await withDatabase(async (db) => printJson(await banksOf(db).list(await ensureWorkspace(db, options.workspace))));
    });
}
