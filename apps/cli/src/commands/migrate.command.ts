import type { Command } from 'commander';
import { migrationStatus } from '@zhibing/storage';
import { printJson, withDatabase } from '../cli-context';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (or undo the last ones with --revert)')
    .option('--revert <count>', 'undo the last N migrations', (v) => Number.parseInt(v, 10))
    .option('--status', 'only show which migrations are applied and pending')
    .action(async (options: { revert?: number; status?: boolean }) => {
      await withDatabase(
        async (db) => {
          if (options.status) return printJson(await migrationStatus(db));
          if (options.revert !== undefined) {
            if (!Number.isInteger(options.revert) || options.revert < 1)
              throw new Error('--revert needs a positive whole number');
            for (let i = 0; i < options.revert; i++) await db.undoLastMigration({ transaction: 'each' });
          } else {
            const ran = await db.runMigrations({ transaction: 'each' });
            process.stderr.write(
              ran.length ? `applied ${ran.map((m) => m.name).join(', ')}\n` : 'database is up to date\n',
            );
          }
          printJson(await migrationStatus(db));
        },
        { migrate: false },
      );
    });
}
