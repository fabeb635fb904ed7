import type { ZhibingConfig } from '@zhibing/config';
import type { KnowledgeServiceOptions } from './knowledge.service';
import { QdrantVectorAdapter } from './projection/qdrant-vector.adapter';

/** Knowledge service options for a deployment: projections and external vector search when configured. */
export function knowledgeOptionsFromConfig(config: Pick<ZhibingConfig, 'qdrant' | 'neo4j'>): KnowledgeServiceOptions {
  return {
    projections: [...(config.qdrant ? ['qdrant'] : []), ...(config.neo4j ? ['neo4j'] : [])],
    vectorIndex: config.qdrant ? new QdrantVectorAdapter(config.qdrant) : undefined,
  };
}
