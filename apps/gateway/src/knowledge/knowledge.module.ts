import { Module } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import { type Embedder, KnowledgeService, knowledgeOptionsFromConfig } from '@zhibing/knowledge';
import { DataSource } from 'typeorm';
import { ZHIBING_CONFIG } from '../config/config.module';
import { EMBEDDER, EmbedderHealth, embedderProvider } from './embedder.provider';
import { KnowledgeAdminService } from './knowledge-admin.service';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeProjectionsService } from './knowledge-projections.service';

@Module({
  controllers: [KnowledgeController],
  providers: [
    embedderProvider,
    EmbedderHealth,
    {
      provide: KnowledgeService,
      inject: [DataSource, ZHIBING_CONFIG, EMBEDDER],
      useFactory: (db: DataSource, config: ZhibingConfig, embedder: Embedder) =>
        new KnowledgeService(db, { ...knowledgeOptionsFromConfig(config), embedder }),
    },
    KnowledgeAdminService,
    KnowledgeProjectionsService,
  ],
  exports: [KnowledgeService],
})
export class KnowledgeModule {}
