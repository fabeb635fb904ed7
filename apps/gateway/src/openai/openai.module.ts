import { Module } from '@nestjs/common';
import { type DialogueService, TranscriptChatService, TranscriptRepository } from '@zhibing/dialogue';
import { DataSource } from 'typeorm';
import { ChatModule } from '../chat/chat.module';
import { DIALOGUE } from '../chat/dialogue.provider';
import { OpenAiController } from './openai.controller';
import { OpenAiService } from './openai.service';

const transcriptChatProvider = {
  provide: TranscriptChatService,
  inject: [DIALOGUE, DataSource],
  useFactory: (dialogue: DialogueService, db: DataSource) =>
    new TranscriptChatService(dialogue, new TranscriptRepository(db)),
};

@Module({ imports: [ChatModule], controllers: [OpenAiController], providers: [OpenAiService, transcriptChatProvider] })
export class OpenAiModule {}
