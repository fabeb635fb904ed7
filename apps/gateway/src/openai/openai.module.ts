import { Module } from '@nestjs/common';
import { type DialogueService, TranscriptChatService } from '@zhibing/dialogue';
import { ChatModule } from '../chat/chat.module';
import { DIALOGUE } from '../chat/dialogue.provider';
import { OpenAiController } from './openai.controller';
import { OpenAiService } from './openai.service';

@Module({
  imports: [ChatModule],
  controllers: [OpenAiController],
  providers: [
    OpenAiService,
    {
      provide: TranscriptChatService,
      inject: [DIALOGUE],
      useFactory: (dialogue: DialogueService) => new TranscriptChatService(dialogue),
    },
  ],
})
export class OpenAiModule {}
