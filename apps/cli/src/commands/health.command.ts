import type { Command } from 'commander';
import { migrationStatus } from '@zhibing/storage';
import { printJson, withDatabase } from '../cli-context';

export function registerHealthCommand(program: Command): void {
  program
    .command('health')
    .description('Check a running gateway (--url) or, without it, the configured database')
    .option('--url <url>', 'base URL of a running gateway, e.g. http://localhost:3000')
    .action(async (options: { url?: string }) => {
      if (options.url) {
        const response = await fetch(new URL('/health', options.url)).catch((error: Error) => {
          throw new Error(`cannot reach ${options.url}: ${error.message}`);
        });
        printJson(await response.json());
        if (!response.ok) process.exitCode = 1;
        return;
      }
      await withDatabase(
        async (db, config) => {
          const status = await migrationStatus(db);
          printJson({
            status: status.pending.length ? 'down' : 'ok',
            database: { kind: config.database.kind, reachable: true, migrations: status },
          });
          if (status.pending.length) process.exitCode = 1;
        },
        { migrate: false },
      );
    });
}
