import { Module } from '@nestjs/common';
import { ConversationSearchRepository, TurnReviewRepository } from '@zhibing/dialogue';
import { DataSource } from 'typeorm';
import { ChatModule } from '../chat/chat.module';
import { ConversationsController } from './conversations.controller';
import { ConversationTakeoverController } from './conversation-takeover.controller';

@Module({
  imports: [ChatModule],
  controllers: [ConversationsController, ConversationTakeoverController],
  providers: [
    {
      provide: ConversationSearchRepository,
      inject: [DataSource],
      useFactory: (db: DataSource) => new ConversationSearchRepository(db),
    },
    {
      provide: TurnReviewRepository,
      inject: [DataSource],
      useFactory: (db: DataSource) => new TurnReviewRepository(db),
    },
  ],
})
export class ConversationsModule {}
