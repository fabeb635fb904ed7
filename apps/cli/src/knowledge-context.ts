import { KnowledgeService, knowledgeOptionsFromConfig } from '@zhibing/knowledge';
import { ensureWorkspace } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { withDatabase } from './cli-context';

/** Runs `work` with the knowledge service over the configured database and the workspace's id. */
export function withKnowledge<T>(workspace: string, work: (service: KnowledgeService, workspaceId: string, db: DataSource) => Promise<T>): Promise<T> {
  return withDatabase(async (db, config) => {
    const service = new KnowledgeService(db, knowledgeOptionsFromConfig(config));
    return work(service, await ensureWorkspace(db, workspace), db);
  });
}
