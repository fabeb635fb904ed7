import { Client } from 'pg';

/** Runs one statement on its own connection (a test reading what gateway processes wrote) and returns its rows. */
export async function queryOnce(url: string, sql: string, values: unknown[] = []) {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query(sql, values)).rows;
  } finally {
    await db.end();
  }
}
