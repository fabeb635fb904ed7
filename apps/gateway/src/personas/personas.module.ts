import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { PersonasAdminService } from './personas-admin.service';
import { PersonasController } from './personas.controller';

@Module({
  imports: [ChatModule, KnowledgeModule],
  controllers: [PersonasController],
  providers: [PersonasAdminService],
})
export class PersonasModule {}
