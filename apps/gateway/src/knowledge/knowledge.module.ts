import { Module } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import { DocumentImportService, type Embedder, KnowledgeService, knowledgeOptionsFromConfig } from '@zhibing/knowledge';
import { MAX_DOCUMENT_BYTES } from '@zhibing/protocol';
import { DataSource } from 'typeorm';
import { ZHIBING_CONFIG } from '../config/config.module';
import { EMBEDDER, EmbedderHealth, embedderProvider } from './embedder.provider';
import { KnowledgeAdminService } from './knowledge-admin.service';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeDocumentsController } from './knowledge-documents.controller';
import { KnowledgeProjectionsService } from './knowledge-projections.service';

@Module({
  controllers: [KnowledgeController, KnowledgeDocumentsController],
  providers: [
    embedderProvider,
    EmbedderHealth,
    {
      provide: KnowledgeService,
      inject: [DataSource, ZHIBING_CONFIG, EMBEDDER],
      useFactory: (db: DataSource, config: ZhibingConfig, embedder: Embedder) =>
        new KnowledgeService(db, { ...knowledgeOptionsFromConfig(config), embedder }),
    },
    {
      provide: DocumentImportService,
      inject: [DataSource, KnowledgeService],
      useFactory: (db: DataSource, knowledge: KnowledgeService) =>
        new DocumentImportService(db, knowledge, { maxBytes: MAX_DOCUMENT_BYTES }),
    },
    KnowledgeAdminService,
    KnowledgeProjectionsService,
  ],
  exports: [KnowledgeService],
})
export class KnowledgeModule {}
