import { Module } from '@nestjs/common';
import { QuestionBankRepository } from '@zhibing/scenario';
import { DataSource } from 'typeorm';
import { ChatModule } from '../chat/chat.module';
import { QuestionBanksController } from './question-banks.controller';
import { QuestionBanksService } from './question-banks.service';

@Module({
  imports: [ChatModule],
  controllers: [QuestionBanksController],
  providers: [
    QuestionBanksService,
    {
      provide: QuestionBankRepository,
      inject: [DataSource],
      useFactory: (db: DataSource) => new QuestionBankRepository(db),
    },
  ],
  exports: [QuestionBankRepository],
})
export class QuestionBanksModule {}
