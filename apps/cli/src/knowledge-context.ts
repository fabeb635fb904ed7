import { KnowledgeService } from '@zhibing/knowledge';
import { ensureWorkspace } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import type { ZhibingConfig } from '@zhibing/config';
import { withDatabase } from './cli-context';

/** Projections that must receive knowledge writes through the outbox, from the config. */
export function configuredProjections(config: ZhibingConfig): string[] {
  return [...(config.qdrant ? ['qdrant'] : []), ...(config.neo4j ? ['neo4j'] : [])];
}

/** Runs `work` with the knowledge service over the configured database and the workspace's id. */
export function withKnowledge<T>(workspace: string, work: (service: KnowledgeService, workspaceId: string, db: DataSource) => Promise<T>): Promise<T> {
  return withDatabase(async (db, config) => {
    const service = new KnowledgeService(db, { projections: configuredProjections(config) });
    return work(service, await ensureWorkspace(db, workspace), db);
  });
}
