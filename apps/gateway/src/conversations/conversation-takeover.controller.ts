import { Body, Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { TakeoverService } from '@zhibing/dialogue';
import { takeoverSchema } from '@zhibing/protocol';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ChatGateway } from '../chat/chat.gateway';
import { TAKEOVER } from '../chat/dialogue.provider';
import { ZodPipe } from '../common/zod-body.pipe';

/**
 * Operator take-over of a live conversation: while taken over the persona does not reply and the
 * operator answers over the `/chat` socket (`operator.join`, `operator.message`); visitors in the
 * conversation hear `conversation.takeover {operatorName}` and `conversation.handback`.
 */
@ApiTags('conversations')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/conversations/:id')
export class ConversationTakeoverController {
  constructor(
    @Inject(TAKEOVER) private readonly takeover: TakeoverService,
    private readonly chat: ChatGateway,
  ) {}

  /** Takes the conversation over as the calling key (409 takeover_conflict when another key holds it). */
  @Post('takeover')
  @HttpCode(200)
  @ApiBody({ schema: z.toJSONSchema(takeoverSchema, { io: 'input' }) as object })
  takeOver(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body(new ZodPipe(takeoverSchema)) body: z.infer<typeof takeoverSchema>,
  ) {
    const operator = { keyId: principal.keyId, name: body.operatorName };
    return this.takeover.takeOver(principal.workspaceId, id, operator, this.chat.roomSink(id));
  }

  /** Hands the conversation back to the persona (409 handback_conflict when it is not taken over). */
  @Post('handback')
  @HttpCode(200)
  handBack(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.takeover.handBack(principal.workspaceId, id, this.chat.roomSink(id));
  }
}
