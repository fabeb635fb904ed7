import type { DataSource, EntityManager } from 'typeorm';

export const DEFAULT_WORKSPACE = 'default';

/** Returns the id of the workspace called `name`, creating it if it does not exist (race-safe). */
export async function ensureWorkspace(db: DataSource | EntityManager, name = DEFAULT_WORKSPACE): Promise<string> {
  await db.query(`INSERT INTO workspaces (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
  const found: { id: string }[] = await db.query(`SELECT id FROM workspaces WHERE name = $1`, [name]);
  return found[0].id;
}
