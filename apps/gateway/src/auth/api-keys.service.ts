import { Inject, Injectable } from '@nestjs/common';
import { type ApiKeyDto, type CreateApiKeyDto, type CreatedApiKeyDto, ZhibingError } from '@zhibing/protocol';
import { ApiKeyEntity, type ApiKeyScope } from '@zhibing/storage';
import { DataSource, IsNull } from 'typeorm';
import { apiKeyPrefix, generateApiKeySecret, hashApiKeySecret } from './api-key-secret';
import type { Principal } from './principal';

/** Creates, lists, revokes and verifies API keys. Only hashes are stored. */
@Injectable()
export class ApiKeysService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

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
    return keys.map(toDto);
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
      // Wrapped in a CTE because TypeORM returns [rows, count] for a bare UPDATE … RETURNING.
      `WITH used AS (UPDATE api_keys SET last_used_at = now() WHERE secret_hash = $1 AND revoked_at IS NULL
           RETURNING id, workspace_id, scope, persona_ids, allowed_origins)
         SELECT * FROM used`,
      [hashApiKeySecret(secret)],
    );
    const row = rows[0];
    if (!row) return null;
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
