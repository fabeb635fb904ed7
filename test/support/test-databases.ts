import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseTarget } from '@zhibing/storage';

/**
 * The Postgres server the tests use (a fresh database is created per suite and dropped after).
 * Set TEST_DATABASE_URL to point elsewhere; the database in the URL is only used to create others.
 */
export const serverAdminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** Creates a fresh, empty database and returns where it is. */
  create(): Promise<DatabaseTarget>;
  /** Drops what create() made. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function serverDatabase(): TestDatabase {
  let created: string | undefined;
  return {
    name: 'postgres',
    async create() {
      created = `zhibing_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = new Client({ connectionString: serverAdminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${created}`);
      } finally {
        await admin.end();
      }
      return { kind: 'postgres', url: withDatabase(serverAdminUrl, created) };
    },
    async drop() {
      if (!created) return;
      const admin = new Client({ connectionString: serverAdminUrl });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${created} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
      created = undefined;
    },
  };
}

function embeddedDatabase(): TestDatabase {
  return {
    name: 'pglite',
    async create() {
      return { kind: 'pglite', dataDir: 'memory://' };
    },
    async drop() {
      // An in-memory PGlite disappears when it is closed.
    },
  };
}

/**
 * Both stores every database test runs against: embedded PGlite and the Postgres server. The
 * server is required (CI starts it); its absence fails the suite rather than skipping it.
 */
export function testDatabases(): TestDatabase[] {
  return [embeddedDatabase(), serverDatabase()];
}
