import type { DataSource } from 'typeorm';

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** Which of the known migrations have run on this database, and which have not. */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationStatus> {
  const known = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const exists = await dataSource.query(`SELECT to_regclass($1) AS t`, [table]);
  const rows: { name: string }[] = exists[0]?.t
    ? await dataSource.query(`SELECT name FROM "${table}" ORDER BY id`)
    : [];
  const applied = rows.map((r) => r.name);
  return { applied, pending: known.filter((name) => !applied.includes(name)) };
}
