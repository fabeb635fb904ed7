import { Module } from '@nestjs/common';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { ChatGateway } from './chat.gateway';
import { DIALOGUE, dialogueProvider, personaRepositoryProvider } from './dialogue.provider';
import { PersonasBootstrapService } from './personas-bootstrap.service';

@Module({
  imports: [KnowledgeModule],
  providers: [personaRepositoryProvider, dialogueProvider, ChatGateway, PersonasBootstrapService],
  exports: [DIALOGUE, personaRepositoryProvider],
})
export class ChatModule {}
