import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';

/** Entry point of `npm run -s cli -- <command>`. Each command lives in ./commands, one file each. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('zhibing')
    .description('Zhibing command line: database, keys, knowledge, models, evaluation')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    process.stderr.write(`error${typeof code === 'string' ? ` [${code}]` : ''}: ${message}\n`);
    process.exitCode = 1;
  }
}

void main(process.argv);
