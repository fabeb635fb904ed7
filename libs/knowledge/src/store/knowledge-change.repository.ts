import type { DataSource, EntityManager } from 'typeorm';

/** The channel every knowledge change is announced on (payload: {"kb": id, "version": n}). */
export const KNOWLEDGE_CHANNEL = 'zhibing_knowledge';
/** How many changes of a base are kept for gateways to catch up with; one further behind reloads. */
const KEPT_CHANGES = 1000;

export interface KnowledgeChange {
  version: number;
  added: string[];
  removed: string[];
  /** Everything may have changed (e.g. new vectors after a change of embedder): reload the base. */
  reload: boolean;
}

/**
 * The change log of knowledge bases: each write transaction bumps its base's version (the row
 * lock orders concurrent writers, so versions commit in order and without gaps) and records the
 * item ids it added and removed, then announces the version with NOTIFY (sent on commit). A
 * gateway applies the changes after the version its index holds.
 */
export class KnowledgeChangeRepository {
  constructor(private readonly db: DataSource) {}

  /** Records a change inside the writer's transaction; returns the base's new version. */
  async record(
    manager: EntityManager,
    knowledgeBaseId: string,
    change: { added?: string[]; removed?: string[]; reload?: boolean },
  ): Promise<number> {
    const [row] = await manager.query(
      `WITH bumped AS (UPDATE knowledge_bases SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version)
       SELECT version FROM bumped`,
      [knowledgeBaseId],
    );
    const version = Number(row.version);
    await manager.query(
      `INSERT INTO knowledge_changes (knowledge_base_id, version, added, removed, reload) VALUES ($1, $2, $3::uuid[], $4::uuid[], $5)`,
      [knowledgeBaseId, version, change.added ?? [], change.removed ?? [], change.reload ?? false],
    );
    if (version > KEPT_CHANGES)
      await manager.query(`DELETE FROM knowledge_changes WHERE knowledge_base_id = $1 AND version <= $2`, [
        knowledgeBaseId,
        version - KEPT_CHANGES,
      ]);
    await manager.query(`SELECT pg_notify($1, $2)`, [
      KNOWLEDGE_CHANNEL,
      JSON.stringify({ kb: knowledgeBaseId, version }),
    ]);
    return version;
  }

  /** Announces that a base is gone (deleted), so that gateways drop its index. */
  async announceDeleted(manager: Pick<EntityManager, 'query'>, knowledgeBaseId: string): Promise<void> {
    await manager.query(`SELECT pg_notify($1, $2)`, [
      KNOWLEDGE_CHANNEL,
      JSON.stringify({ kb: knowledgeBaseId, version: -1 }),
    ]);
  }

  /** The bases' current versions (a base that is gone is absent). */
  async versions(knowledgeBaseIds: string[]): Promise<Map<string, number>> {
    if (knowledgeBaseIds.length === 0) return new Map();
    const rows: { id: string; version: string }[] = await this.db.query(
      `SELECT id, version FROM knowledge_bases WHERE id = ANY($1::uuid[])`,
      [knowledgeBaseIds],
    );
    return new Map(rows.map((r) => [r.id, Number(r.version)]));
  }

  /**
   * The changes after `version`, oldest first; `complete` is false when some were pruned (the
   * caller is too far behind and must reload).
   */
  async since(knowledgeBaseId: string, version: number): Promise<{ changes: KnowledgeChange[]; complete: boolean }> {
    const rows: { version: string; added: string[]; removed: string[]; reload: boolean }[] = await this.db.query(
      `SELECT version, added, removed, reload FROM knowledge_changes WHERE knowledge_base_id = $1 AND version > $2 ORDER BY version`,
      [knowledgeBaseId, version],
    );
    const changes = rows.map((r) => ({
      version: Number(r.version),
      added: r.added ?? [],
      removed: r.removed ?? [],
      reload: r.reload,
    }));
    const complete = changes.length === 0 || changes[0].version === version + 1;
    return { changes, complete };
  }
}
