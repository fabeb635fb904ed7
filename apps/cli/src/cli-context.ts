import { loadConfig, type ZhibingConfig } from '@zhibing/config';
import { closeDatabase, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';

/**
 * Runs `work` with the validated config and the database the gateway would use (embedded PGlite
 * in ZHIBING_DATA_DIR, or DATABASE_URL), closing it afterwards. Migrations run first unless
 * `migrate` is false.
 */
export async function withDatabase<T>(
  work: (db: DataSource, config: ZhibingConfig) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config.database, { migrate: options.migrate ?? true });
  try {
    return await work(db, config);
  } finally {
    await closeDatabase(db);
  }
}

/** Writes one JSON document to stdout (machine-readable CLI output). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
