import type { Command } from 'commander';
import { createApiKeySchema, validate } from '@zhibing/protocol';
import { ensureWorkspace } from '@zhibing/storage';
import { ApiKeysService } from '../../../gateway/src/auth/api-keys.service';
import { printJson, withDatabase } from '../cli-context';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key; its secret is printed once')
    .requiredOption('--name <name>', 'a label for the key')
    .option('--scope <scope>', 'admin or widget', 'admin')
    .option('--workspace <name>', 'workspace name (created if missing)', 'default')
    .option('--persona <id>', 'widget keys: a persona the key may talk to (repeatable)', collect, [])
    .option('--origin <origin>', 'widget keys: an allowed origin, e.g. https://example.com (repeatable)', collect, [])
    .action(
      async (options: { name: string; scope: string; workspace: string; persona: string[]; origin: string[] }) => {
        const input = validate(createApiKeySchema, {
          name: options.name,
          scope: options.scope,
          personaIds: options.persona,
          allowedOrigins: options.origin,
        });
        await withDatabase(async (db) => {
          const workspaceId = await ensureWorkspace(db, options.workspace);
          printJson(await new ApiKeysService(db).create(workspaceId, input));
        });
      },
    );
  keys
    .command('list')
    .description('List the keys of a workspace (secrets are never shown)')
    .option('--workspace <name>', 'workspace name', 'default')
    .action(async (options: { workspace: string }) => {
      await withDatabase(async (db) =>
        printJson(await new ApiKeysService(db).list(await ensureWorkspace(db, options.workspace))),
      );
    });
}
