import * as fs from 'node:fs';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../../migrations';
import { entities } from './entities';
import { lockDataDir } from './data-dir-lock';
import { DatabaseUnavailableError } from './storage.errors';

/** Where the data lives: embedded PGlite in a folder (or `memory://`), or a Postgres server. */
export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export interface OpenDatabaseOptions {
  /** Run pending migrations after connecting (default true). */
  migrate?: boolean;
  logging?: boolean;
}

/** A PGlite instance is single-connection; remember it (and its directory's lock) to close it with the DataSource. */
const embedded = new WeakMap<DataSource, { close(): Promise<void> }>();

async function pgliteOptions(dataDir: string): Promise<Partial<DataSourceOptions>> {
  // PGlite and its pgvector extension are ES modules with CommonJS builds; load them lazily so a
  // server deployment never pays for the WASM bundle.
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const config = createPgConfig(db);
  return { extra: { ...config, connection: config.connection, max: 1 }, __pglite: db } as Partial<DataSourceOptions>;
}

/**
 * Opens the system of record through TypeORM: the same `pg` code path for embedded PGlite and a
 * Postgres server. Runs migrations unless told not to. Throws DatabaseUnavailableError with the
 * reason when the database cannot be reached.
 */
export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<DataSource> {
  const base = {
    type: 'postgres' as const,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
  };
  let dataSource: DataSource;
  let pglite: { close(): Promise<void> } | undefined;
  // One process per embedded directory: a second one would silently lose the first one's writes.
  const lock =
    target.kind === 'pglite' && !target.dataDir.startsWith('memory://') ? lockDataDir(target.dataDir) : undefined;
  try {
    if (target.kind === 'pglite') {
      const extra = (await pgliteOptions(target.dataDir)) as Record<string, unknown>;
      pglite = extra.__pglite as { close(): Promise<void> };
      dataSource = new DataSource({ ...base, extra: extra.extra as object, poolSize: 1 });
    } else {
      dataSource = new DataSource({ ...base, url: target.url, extra: { max: 10, connectionTimeoutMillis: 5000 } });
    }
    await dataSource.initialize();
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    lock?.release();
    const where = target.kind === 'pglite' ? `embedded database in ${target.dataDir}` : 'Postgres server';
    throw new DatabaseUnavailableError(`cannot open the ${where}: ${(error as Error).message}`, { cause: error });
  }
  if (pglite) {
    const instance = pglite;
    embedded.set(dataSource, { close: () => instance.close().finally(() => lock?.release()) });
  }
  if (options.migrate ?? true) await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/** Closes the DataSource and, for embedded storage, the PGlite instance behind it. */
export async function closeDatabase(dataSource: DataSource): Promise<void> {
  if (dataSource.isInitialized) await dataSource.destroy();
  await embedded.get(dataSource)?.close();
  embedded.delete(dataSource);
}

/** Whether the DataSource talks to embedded PGlite. */
export function isEmbedded(dataSource: DataSource): boolean {
  return embedded.has(dataSource);
}
