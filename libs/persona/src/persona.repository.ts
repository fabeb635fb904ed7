import { createHash } from 'node:crypto';
import { ZhibingError } from '@zhibing/protocol';
import type { DataSource } from 'typeorm';
import { personaForChat } from './persona-macros';
import { avatarPath } from './persona-avatar.repository';
import type { Persona } from './persona.schema';

export interface StoredPersona {
  persona: Persona;
  version: number;
  createdAt: string;
}

/** Canonical JSON (sorted keys) so the same persona always has the same checksum. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Personas, versioned: saving changed content adds a version; saving the same content does nothing. */
export class PersonaRepository {
  constructor(private readonly db: DataSource) {}

  /** Stores `persona` as a new version if its content changed; returns the current version. */
  async save(workspaceId: string, persona: Persona): Promise<{ version: number; created: boolean }> {
    const checksum = createHash('sha256').update(canonical(persona)).digest('hex');
    return this.db.transaction(async (manager) => {
      // Saves of one persona queue here: a row lock on the newest version would let two savers
      // both read version N and both write N + 1 (a new persona has no row to lock at all).
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `persona:${workspaceId}:${persona.id}`,
      ]);
      const current = await manager.query(
        `SELECT version, checksum FROM personas WHERE workspace_id = $1 AND slug = $2 ORDER BY version DESC LIMIT 1`,
        [workspaceId, persona.id],
      );
      if (current[0]?.checksum === checksum) return { version: current[0].version, created: false };
      const version = (current[0]?.version ?? 0) + 1;
      await manager.query(
        `INSERT INTO personas (workspace_id, slug, version, name, definition, checksum) VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
        [workspaceId, persona.id, version, persona.name, JSON.stringify(persona), checksum],
      );
      return { version, created: true };
    });
  }

  /** The newest version, or a given one. */
  async get(workspaceId: string, id: string, version?: number): Promise<StoredPersona | null> {
    const rows = await this.db.query(
      `SELECT definition, version, created_at FROM personas WHERE workspace_id = $1 AND slug = $2 AND archived_at IS NULL AND ($3::int IS NULL OR version = $3)
       ORDER BY version DESC LIMIT 1`,
      [workspaceId, id, version ?? null],
    );
    return rows[0]
      ? { persona: rows[0].definition, version: rows[0].version, createdAt: new Date(rows[0].created_at).toISOString() }
      : null;
  }

  async require(workspaceId: string, id: string, version?: number): Promise<StoredPersona> {
    const found = await this.get(workspaceId, id, version);
    if (!found)
      throw new ZhibingError('persona_not_found', `No persona "${id}"${version ? ` version ${version}` : ''}`);
    return found;
  }

  /**
   * The version a conversation uses, its macros substituted (see personaForChat), and the public
   * URL of its avatar image if it has one.
   */
  async requireForChat(
    workspaceId: string,
    id: string,
    version?: number,
    userName?: string,
  ): Promise<StoredPersona & { avatarUrl?: string }> {
    const stored = await this.require(workspaceId, id, version);
    const avatar = await this.db.query(`SELECT sha256 FROM persona_avatars WHERE workspace_id = $1 AND slug = $2`, [
      workspaceId,
      id,
    ]);
    return {
      ...stored,
      persona: personaForChat(stored.persona, userName),
      ...(avatar[0] && { avatarUrl: avatarPath(workspaceId, id, avatar[0].sha256) }),
    };
  }

  async list(workspaceId: string): Promise<{ id: string; name: string; version: number; scenario: string }[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (slug) slug, name, version, definition->>'scenario' AS scenario FROM personas
       WHERE workspace_id = $1 AND archived_at IS NULL ORDER BY slug, version DESC`,
      [workspaceId],
    );
    return rows.map((r: { slug: string; name: string; version: number; scenario: string }) => ({
      id: r.slug,
      name: r.name,
      version: r.version,
      scenario: r.scenario,
    }));
  }

  async versions(workspaceId: string, id: string): Promise<{ version: number; createdAt: string }[]> {
    const rows = await this.db.query(
      `SELECT version, created_at FROM personas WHERE workspace_id = $1 AND slug = $2 ORDER BY version`,
      [workspaceId, id],
    );
    return rows.map((r: { version: number; created_at: string }) => ({
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  /** Archives every version; conversations keep the version they used. */
  async archive(workspaceId: string, id: string): Promise<void> {
    const rows = await this.db.query(
      `WITH archived AS (UPDATE personas SET archived_at = now() WHERE workspace_id = $1 AND slug = $2 AND archived_at IS NULL RETURNING 1) SELECT count(*)::int AS n FROM archived`,
      [workspaceId, id],
    );
    if (rows[0].n === 0) throw new ZhibingError('persona_not_found', `No persona "${id}"`);
  }
}
