import 'reflect-metadata';
import { ConfigError, loadConfig } from '@zhibing/config';
import { createApp } from './create-app';

/** `npm start`: validated config → database → gateway on PORT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`zhibing: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const started = performance.now();
  const { app, logger, generatedAdminKey } = await createApp(config);
  await app.listen(config.port, config.host);
  const where = config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'Postgres server';
  logger.info(
    { port: config.port, database: config.database.kind, startupMs: Math.round(performance.now() - started) },
    `Zhibing listening on http://localhost:${config.port} (${where})`,
  );
  if (generatedAdminKey) {
    // Printed once: only the hash is stored, so this is the operator's one chance to copy it.
    process.stdout.write(
      `\n  Operator (root) API key, shown once — store it now:\n\n    ${generatedAdminKey}\n\n  Set ZHIBING_ADMIN_KEY to choose your own.\n\n`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`zhibing: failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
