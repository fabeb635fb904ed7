import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ScenarioRecordsController } from './scenario-records.controller';
import { ScenarioRecordsRepository } from './scenario-records.repository';

@Module({
  controllers: [ScenarioRecordsController],
  providers: [
    {
      provide: ScenarioRecordsRepository,
      inject: [DataSource],
      useFactory: (db: DataSource) => new ScenarioRecordsRepository(db),
    },
  ],
})
export class ScenarioRecordsModule {}
