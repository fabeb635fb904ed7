import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { PersonasAdminService } from './personas-admin.service';
import { PersonaAvatarController } from './persona-avatar.controller';
import { PersonasController } from './personas.controller';
import { personaAvatarRepositoryProvider } from './persona-avatar.provider';

@Module({
  imports: [ChatModule, KnowledgeModule],
  controllers: [PersonasController, PersonaAvatarController],
  providers: [PersonasAdminService, personaAvatarRepositoryProvider],
})
export class PersonasModule {}
