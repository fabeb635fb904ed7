import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { ChatGateway } from './chat.gateway';
import { DIALOGUE, dialogueProvider, personaRepositoryProvider, TAKEOVER, takeoverProvider } from './dialogue.provider';
import { GracefulShutdownService } from './graceful-shutdown.service';
import { PersonasBootstrapService } from './personas-bootstrap.service';

@Module({
  imports: [KnowledgeModule],
  providers: [
    personaRepositoryProvider,
    dialogueProvider,
    takeoverProvider,
    ChatGateway,
    PersonasBootstrapService,
    GracefulShutdownService,
  ],
  exports: [DIALOGUE, TAKEOVER, ChatGateway, personaRepositoryProvider],
})
export class ChatModule {}
