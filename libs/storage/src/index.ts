export { openDatabase, closeDatabase, isEmbedded } from './data-source';
export type { DatabaseTarget, OpenDatabaseOptions } from './data-source';
export { migrationStatus } from './migration-status';
export type { MigrationStatus } from './migration-status';
export { enqueueOutbox } from './outbox.repository';
export type { OutboxMessage } from './outbox.repository';
export { ensureWorkspace, DEFAULT_WORKSPACE } from './workspace.repository';
export { DatabaseUnavailableError } from './storage.errors';
export * from './entities';
