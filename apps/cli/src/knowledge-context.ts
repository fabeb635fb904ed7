import { createEmbedder, KnowledgeService, knowledgeOptionsFromConfig } from '@zhibing/knowledge';
import { ensureWorkspace } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { withDatabase } from './cli-context';

/**
 * Runs `work` with the knowledge service (and the configured embedder) over the configured
 * database and the workspace's id.
 */
export function withKnowledge<T>(
  workspace: string,
  work: (service: KnowledgeService, workspaceId: string, db: DataSource) => Promise<T>,
): Promise<T> {
  return withDatabase(async (db, config) => {
    // The gateway's embedder (ZHIBING_EMBEDDER): imports store vectors selection will read.
    const embedder = await createEmbedder(config.embedder);
    const service = new KnowledgeService(db, { ...knowledgeOptionsFromConfig(config), embedder });
    return work(service, await ensureWorkspace(db, workspace), db);
  });
}
