import { Module } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import { KnowledgeService, knowledgeOptionsFromConfig } from '@zhibing/knowledge';
import { DataSource } from 'typeorm';
import { ZHIBING_CONFIG } from '../config/config.module';
import { KnowledgeAdminService } from './knowledge-admin.service';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeProjectionsService } from './knowledge-projections.service';

@Module({
  controllers: [KnowledgeController],
  providers: [
    {
      provide: KnowledgeService,
      inject: [DataSource, ZHIBING_CONFIG],
      useFactory: (db: DataSource, config: ZhibingConfig) => new KnowledgeService(db, knowledgeOptionsFromConfig(config)),
    },
    KnowledgeAdminService,
    KnowledgeProjectionsService,
  ],
  exports: [KnowledgeService],
})
export class KnowledgeModule {}
