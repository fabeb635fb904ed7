import { createHash } from 'node:crypto';
import { DEFAULT_WORKSPACE } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { type AvatarMediaType, avatarMediaType } from './avatar-image';
import { PersonaError } from './persona.errors';

export interface PersonaAvatar {
  mediaType: AvatarMediaType;
  bytes: Buffer;
  /** sha256 of the bytes: the ETag, and the version in avatar URLs. */
  sha256: string;
  updatedAt: string;
}

/** One avatar image per persona (all its versions), stored in Postgres as bytea. */
export class PersonaAvatarRepository {
  constructor(private readonly db: DataSource) {}

  /** Replaces the persona's avatar; the type is checked from the bytes first, so a bad file changes nothing. */
  async put(workspaceId: string, personaId: string, bytes: Buffer): Promise<Omit<PersonaAvatar, 'bytes'>> {
    const mediaType = avatarMediaType(bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const rows = await this.db.query(
      `INSERT INTO persona_avatars (workspace_id, slug, media_type, bytes, sha256) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, slug) DO UPDATE SET media_type = $3, bytes = $4, sha256 = $5, updated_at = now()
       RETURNING updated_at`,
      [workspaceId, personaId, mediaType, bytes, sha256],
    );
    return { mediaType, sha256, updatedAt: new Date(rows[0].updated_at).toISOString() };
  }

  async get(workspaceId: string, personaId: string): Promise<PersonaAvatar | null> {
    const rows = await this.db.query(
      `SELECT media_type, bytes, sha256, updated_at FROM persona_avatars WHERE workspace_id = $1 AND slug = $2`,
      [workspaceId, personaId],
    );
    return rows[0] ? toAvatar(rows[0]) : null;
  }

  /**
   * The avatar anyone may load: of a workspace's persona, or of the default workspace's (one-workspace
   * installs) when none is named. An archived persona's avatar is no longer served.
   */
  async requirePublic(workspaceId: string | undefined, personaId: string): Promise<PersonaAvatar> {
    const rows = await this.db.query(
      `SELECT a.media_type, a.bytes, a.sha256, a.updated_at FROM persona_avatars a
       WHERE a.slug = $2 AND a.workspace_id = COALESCE($1::uuid, (SELECT id FROM workspaces WHERE name = $3))
         AND EXISTS (SELECT 1 FROM personas p WHERE p.workspace_id = a.workspace_id AND p.slug = a.slug AND p.archived_at IS NULL)`,
      [workspaceId ?? null, personaId, DEFAULT_WORKSPACE],
    );
    if (!rows[0]) throw new PersonaError('avatar_not_found', `Persona "${personaId}" has no avatar`);
    return toAvatar(rows[0]);
  }

  /** The public URL of the avatar (a path on the gateway, versioned by its content), or undefined. */
  async url(workspaceId: string, personaId: string): Promise<string | undefined> {
    const rows = await this.db.query(`SELECT sha256 FROM persona_avatars WHERE workspace_id = $1 AND slug = $2`, [
      workspaceId,
      personaId,
    ]);
    return rows[0] ? avatarPath(workspaceId, personaId, rows[0].sha256) : undefined;
  }

  /** Persona id → avatar URL for every persona of the workspace that has one (for lists). */
  async urls(workspaceId: string): Promise<Map<string, string>> {
    const rows: { slug: string; sha256: string }[] = await this.db.query(
      `SELECT slug, sha256 FROM persona_avatars WHERE workspace_id = $1`,
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.slug, avatarPath(workspaceId, r.slug, r.sha256)]));
  }

  async delete(workspaceId: string, personaId: string): Promise<void> {
    await this.db.query(`DELETE FROM persona_avatars WHERE workspace_id = $1 AND slug = $2`, [workspaceId, personaId]);
  }
}

/** Persona ids are per workspace, so the public URL names the workspace; `v` busts caches on change. */
export function avatarPath(workspaceId: string, personaId: string, sha256: string): string {
  return `/v1/personas/${personaId}/avatar?workspace=${workspaceId}&v=${sha256.slice(0, 16)}`;
}

function toAvatar(row: { media_type: AvatarMediaType; bytes: Uint8Array; sha256: string; updated_at: string }) {
  return {
    mediaType: row.media_type,
    bytes: Buffer.from(row.bytes),
    sha256: row.sha256,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
