import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { ConversationsController } from './conversations.controller';

@Module({ imports: [ChatModule], controllers: [ConversationsController] })
export class ConversationsModule {}
