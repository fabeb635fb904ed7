import { Body, Controller, Get, Inject, Param, ParseIntPipe, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import {
  type DialogueService,
  ConversationSearchRepository,
  exportConversations,
  TurnReviewRepository,
} from '@zhibing/dialogue';
import { exportConversationsQuerySchema, reviewTurnSchema, searchConversationsQuerySchema } from '@zhibing/protocol';
import type { Response } from 'express';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { DIALOGUE } from '../chat/dialogue.provider';
import { ZodPipe } from '../common/zod-body.pipe';

/** Conversations of the caller's workspace, and each turn with the trace of how it was written. */
@ApiTags('conversations')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/conversations')
export class ConversationsController {
  constructor(
    @Inject(DIALOGUE) private readonly dialogue: DialogueService,
    private readonly search: ConversationSearchRepository,
    private readonly reviews: TurnReviewRepository,
  ) {}

  /** A page of conversations (newest first); the X-Total-Count header says how many match in all. */
  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(searchConversationsQuerySchema)) query: z.infer<typeof searchConversationsQuerySchema>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { total, items } = await this.search.search(principal.workspaceId, query);
    response.setHeader('x-total-count', String(total));
    return items;
  }

  /** What a search finds, with transcripts, trace summaries and reviews: JSON Lines or CSV. */
  @Get('export')
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(exportConversationsQuerySchema)) query: z.infer<typeof exportConversationsQuerySchema>,
    @Res() response: Response,
  ): Promise<void> {
    const lines = exportConversations(this.search, this.reviews, principal.workspaceId, query, query.format);
    response.type(query.format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    response.setHeader('content-disposition', `attachment; filename="conversations.${query.format}"`);
    for await (const line of lines) response.write(`${line}\n`);
    response.end();
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const conversation = await this.dialogue.conversations.require(principal.workspaceId, id);
    const [turns, reviews] = await Promise.all([
      this.dialogue.conversations.turns(conversation.id),
      this.reviews.forConversations([conversation.id]),
    ]);
    const bySeq = new Map((reviews.get(conversation.id) ?? []).map((r) => [r.seq, r]));
    return { ...conversation, turns: turns.map((t) => ({ ...t, review: bySeq.get(t.seq) ?? null })) };
  }

  /** A reviewer's verdict on the persona's reply at `seq`; a second review replaces the first. */
  @Put(':id/turns/:seq/review')
  @ApiBody({ schema: z.toJSONSchema(reviewTurnSchema, { io: 'input' }) as object })
  async review(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('seq', ParseIntPipe) seq: number,
    @Body(new ZodPipe(reviewTurnSchema)) body: z.infer<typeof reviewTurnSchema>,
  ) {
    const conversation = await this.dialogue.conversations.require(principal.workspaceId, id);
    return this.reviews.put(conversation.id, seq, body, principal.keyId);
  }
}
