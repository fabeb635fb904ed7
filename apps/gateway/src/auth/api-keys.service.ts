import { type BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { type ApiKeyDto, type CreateApiKeyDto, type CreatedApiKeyDto, ZhibingError } from '@zhibing/protocol';
import { ApiKeyEntity, type ApiKeyScope } from '@zhibing/storage';
import { DataSource, IsNull } from 'typeorm';
import { apiKeyPrefix, generateApiKeySecret, hashApiKeySecret } from './api-key-secret';
import { KeyLastUsed } from './key-last-used';
import type { Principal } from './principal';

/** Injection token: how often keys' last use is written (ms; default KEY_LAST_USED_INTERVAL_MS). */
export const KEY_LAST_USED_INTERVAL = Symbol('KEY_LAST_USED_INTERVAL');
/** A key's last use reaches the database within this (and at shutdown); the gateway's listing shows it at once. */
export const KEY_LAST_USED_INTERVAL_MS = 60_000;

/**
 * Creates, lists, revokes and verifies API keys. Only hashes are stored. Verifying reads and never
 * writes: the time of use is written at most once per key per interval.
 */
@Injectable()
export class ApiKeysService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ApiKeys');
  private readonly lastUsed: KeyLastUsed;

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Optional() @Inject(KEY_LAST_USED_INTERVAL) intervalMs: number = KEY_LAST_USED_INTERVAL_MS,
  ) {
    this.lastUsed = new KeyLastUsed(
      (used) => this.writeLastUsed(used),
      intervalMs,
      (error) => this.logger.error({ err: error }, 'writing keys last used failed; kept for the next write'),
    );
  }

  /** Before the database closes: the last uses noted and not yet written are written. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.lastUsed.flush();
  }

  async create(workspaceId: string, input: CreateApiKeyDto & { scope: ApiKeyScope }): Promise<CreatedApiKeyDto> {
    await this.assertWorkspace(workspaceId);
    const key = generateApiKeySecret(input.scope);
    const saved = await this.db.getRepository(ApiKeyEntity).save({
      workspaceId,
      name: input.name,
      scope: input.scope,
      prefix: apiKeyPrefix(key),
      secretHash: hashApiKeySecret(key),
      personaIds: input.personaIds,
      allowedOrigins: input.allowedOrigins,
    });
    return { ...toDto(saved), key };
  }

  async list(workspaceId: string): Promise<ApiKeyDto[]> {
    await this.assertWorkspace(workspaceId);
    const keys = await this.db
      .getRepository(ApiKeyEntity)
      .find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
    return keys.map((key) => {
      const noted = this.lastUsed.noted(key.id);
      return toDto(noted ? { ...key, lastUsedAt: noted } : key);
    });
  }

  async revoke(workspaceId: string, keyId: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(keyId))
      throw new ZhibingError('api_key_not_found', `No API key ${keyId} in this workspace`);
    const result = await this.db
      .getRepository(ApiKeyEntity)
      .update({ id: keyId, workspaceId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) {
      const exists = await this.db.getRepository(ApiKeyEntity).existsBy({ id: keyId, workspaceId });
      if (!exists) throw new ZhibingError('api_key_not_found', `No API key ${keyId} in this workspace`);
    }
  }

  /** The principal behind a secret, or null when the key is unknown or revoked. */
  async verify(secret: string): Promise<Principal | null> {
    if (!secret.startsWith('zb_') || secret.length > 200) return null;
    const rows: {
      id: string;
      workspace_id: string;
      scope: ApiKeyScope;
      persona_ids: string[];
      allowed_origins: string[];
    }[] = await this.db.query(
      `SELECT id, workspace_id, scope, persona_ids, allowed_origins FROM api_keys
       WHERE secret_hash = $1 AND revoked_at IS NULL`,
      [hashApiKeySecret(secret)],
    );
    const row = rows[0];
    if (!row) return null;
    this.lastUsed.note(row.id);
    return {
      keyId: row.id,
      workspaceId: row.workspace_id,
      scope: row.scope,
      personaIds: row.persona_ids,
      allowedOrigins: row.allowed_origins,
    };
  }

  /**
   * Makes sure an operator key exists: stores the hash of `configured` if given, otherwise
   * generates one when no root key exists yet. Returns the new secret only when it generated one.
   */
  async ensureRootKey(workspaceId: string, configured?: string): Promise<string | null> {
    const repo = this.db.getRepository(ApiKeyEntity);
    if (configured) {
      const hash = hashApiKeySecret(configured);
      // A changed ZHIBING_ADMIN_KEY replaces the old one: the previous configured key stops working.
      await this.db.query(
        `UPDATE api_keys SET revoked_at = now() WHERE scope = 'root' AND name = 'bootstrap (ZHIBING_ADMIN_KEY)'
           AND secret_hash <> $1 AND revoked_at IS NULL`,
        [hash],
      );
      await this.db.query(
        `INSERT INTO api_keys (workspace_id, name, scope, prefix, secret_hash) VALUES ($1, 'bootstrap (ZHIBING_ADMIN_KEY)', 'root', $2, $3)
         ON CONFLICT (secret_hash) DO NOTHING`,
        [workspaceId, configured.slice(0, 8), hash],
      );
      return null;
    }
    if (await repo.existsBy({ scope: 'root', revokedAt: IsNull() })) return null;
    const key = generateApiKeySecret('root');
    await repo.save({
      workspaceId,
      name: 'bootstrap (generated)',
      scope: 'root',
      prefix: apiKeyPrefix(key),
      secretHash: hashApiKeySecret(key),
    });
    return key;
  }

  /** One statement for every key noted; a later use already written (another gateway's) is kept. */
  private async writeLastUsed(used: Map<string, Date>): Promise<void> {
    await this.db.query(
      `UPDATE api_keys k SET last_used_at = greatest(k.last_used_at, u.at)
       FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id`,
      [[...used.keys()], [...used.values()]],
    );
  }

  private async assertWorkspace(workspaceId: string): Promise<void> {
    const found = await this.db.query(`SELECT 1 FROM workspaces WHERE id::text = $1`, [workspaceId]);
    if (found.length === 0) throw new ZhibingError('workspace_not_found', `No workspace ${workspaceId}`);
  }
}

function toDto(key: ApiKeyEntity): ApiKeyDto {
  return {
    id: key.id,
    workspaceId: key.workspaceId,
    name: key.name,
    scope: key.scope,
    prefix: key.prefix,
    personaIds: key.personaIds ?? [],
    allowedOrigins: key.allowedOrigins ?? [],
    createdAt: new Date(key.createdAt).toISOString(),
    lastUsedAt: key.lastUsedAt ? new Date(key.lastUsedAt).toISOString() : null,
    revokedAt: key.revokedAt ? new Date(key.revokedAt).toISOString() : null,
  };
}
