import type { EntityManager } from 'typeorm';

/**
 * Inserts rows with multi-row VALUES statements of at most `batch` rows (Postgres caps a
 * statement at 65,535 parameters). `sql(values)` receives the VALUES list and returns the full
 * statement; rows returned by each statement are concatenated.
 */
export async function insertBatches<R>(
  manager: Pick<EntityManager, 'query'>,
  rows: unknown[][],
  sql: (values: string) => string,
  options: { batch?: number; casts?: string[] } = {},
): Promise<R[]> {
  const out: R[] = [];
  const batch = options.batch ?? 500;
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    const params: unknown[] = [];
    const values = chunk
      .map(
        (row) =>
          `(${row
            .map((value, column) => {
              params.push(value);
              return `$${params.length}${options.casts?.[column] ?? ''}`;
            })
            .join(', ')})`,
      )
      .join(', ');
    const result = await manager.query(sql(values), params);
    if (Array.isArray(result)) out.push(...(result as R[]));
  }
  return out;
}
