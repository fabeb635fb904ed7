import type { ScenarioRecordView } from '@zhibing/protocol';
import type { DataSource } from 'typeorm';

export interface ScenarioRecordFilter {
  kind?: string;
  personaId?: string;
  limit: number;
  offset: number;
}

const toView = (r: Record<string, unknown>): ScenarioRecordView => ({
  id: String(r.id),
  conversationId: String(r.conversation_id),
  personaId: String(r.persona_slug),
  kind: String(r.kind),
  data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, string>,
  createdAt: new Date(r.created_at as string).toISOString(),
});

/** Reads the records a workspace's scenarios stored (`scenario_records`), newest first. */
export class ScenarioRecordsRepository {
  constructor(private readonly db: DataSource) {}

  /** A page of the records matching the filter, and how many match in all. */
  async list(
    workspaceId: string,
    filter: ScenarioRecordFilter,
  ): Promise<{ total: number; items: ScenarioRecordView[] }> {
    const params: unknown[] = [workspaceId];
    const clauses = ['workspace_id = $1'];
    for (const [column, value] of [
      ['kind', filter.kind],
      ['persona_slug', filter.personaId],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      clauses.push(`${column} = $${params.length}`);
    }
    const where = clauses.join(' AND ');
    const [{ total }] = await this.db.query(
      `SELECT count(*)::int AS total FROM scenario_records WHERE ${where}`,
      params,
    );
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM scenario_records WHERE ${where} ORDER BY created_at DESC, id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { total: Number(total), items: rows.map(toView) };
  }
}
