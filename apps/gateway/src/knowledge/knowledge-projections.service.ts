import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import {
  GraphProjection,
  KnowledgeService,
  Neo4jGraphAdapter,
  OutboxDispatcher,
  type Projection,
  QdrantVectorAdapter,
  VectorProjection,
} from '@zhibing/knowledge';
import { DataSource } from 'typeorm';
import { ZHIBING_CONFIG } from '../config/config.module';
import { HealthRegistry } from '../health/health-registry';

/**
 * Runs the outbox dispatchers that carry knowledge writes to Qdrant and Neo4j when they are
 * configured, and reports their backlog and last error in /health.
 */
@Injectable()
export class KnowledgeProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KnowledgeProjections');
  private readonly dispatchers: { target: string; dispatcher: OutboxDispatcher }[] = [];

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ZHIBING_CONFIG) private readonly config: ZhibingConfig,
    private readonly knowledge: KnowledgeService,
    private readonly health: HealthRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.qdrant) {
      this.add(
        new VectorProjection(
          'qdrant',
          new QdrantVectorAdapter(this.config.qdrant),
          this.knowledge.repository,
          this.knowledge.embedder,
        ),
      );
    }
    if (this.config.neo4j) {
      this.add(new GraphProjection('neo4j', new Neo4jGraphAdapter(this.config.neo4j), this.knowledge.repository));
    }
  }

  private add(projection: Projection): void {
    const target = projection.target;
    const entry: { target: string; dispatcher?: OutboxDispatcher; lastError?: string } = { target };
    // Failures leave the rows queued; the last error is what /health shows until they drain.
    const dispatcher = new OutboxDispatcher(this.db, projection, {
      onError: (error) => {
        entry.lastError = error.message;
        this.logger.warn({ target, err: error.message }, 'projection failed; will retry');
      },
    });
    this.dispatchers.push({ target, dispatcher });
    dispatcher.start(1000);
    this.health.register(`projection:${target}`, {
      check: async () => {
        const pending = await dispatcher.pending();
        return {
          status: entry.lastError && pending > 0 ? 'degraded' : 'ok',
          pending,
          ...(entry.lastError ? { lastError: entry.lastError } : {}),
        };
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const { dispatcher } of this.dispatchers) await dispatcher.stop();
  }
}
