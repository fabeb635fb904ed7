import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** root: the operator's key, all workspaces; admin: one workspace; widget: chat only, from allowed origins. */
export type ApiKeyScope = 'root' | 'admin' | 'widget';

/** An API key; only its SHA-256 hash is stored, the secret is shown once at creation. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @Column('text')
  name: string;

  @Column('text')
  scope: ApiKeyScope;

  /** The first characters of the secret, to tell keys apart in listings. */
  @Column('text')
  prefix: string;

  @Column('text', { name: 'secret_hash', select: false })
  secretHash: string;

  @Column('text', { name: 'persona_ids', array: true, default: () => "'{}'" })
  personaIds: string[];

  @Column('text', { name: 'allowed_origins', array: true, default: () => "'{}'" })
  allowedOrigins: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
