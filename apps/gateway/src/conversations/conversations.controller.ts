import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DialogueService } from '@zhibing/dialogue';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { DIALOGUE } from '../chat/dialogue.provider';
import { ZodPipe } from '../common/zod-body.pipe';

const listQuery = z.object({
  personaId: z.string().max(120).optional(),
  visitorId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Conversations of the caller's workspace, and each turn with the trace of how it was written. */
@ApiTags('conversations')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/conversations')
export class ConversationsController {
  constructor(@Inject(DIALOGUE) private readonly dialogue: DialogueService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodPipe(listQuery)) query: z.infer<typeof listQuery>) {
    return this.dialogue.conversations.list(principal.workspaceId, query);
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const conversation = await this.dialogue.conversations.require(principal.workspaceId, id);
    return { ...conversation, turns: await this.dialogue.conversations.turns(conversation.id) };
  }
}
