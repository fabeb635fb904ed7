import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HandoffsController } from './handoffs.controller';
import { HandoffsRepository } from './handoffs.repository';

@Module({
  controllers: [HandoffsController],
  providers: [
    { provide: HandoffsRepository, inject: [DataSource], useFactory: (db: DataSource) => new HandoffsRepository(db) },
  ],
})
export class HandoffsModule {}
