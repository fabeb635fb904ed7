import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { HandoffsRepository } from './handoffs.repository';

/**
 * The hand-off queue: visitors who asked for a person (a front desk's hand-off phase) and whom no
 * operator has taken over yet. Operators hear new ones live as `handoff.requested` (`operator.watch`).
 */
@ApiTags('conversations')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/handoffs')
export class HandoffsController {
  constructor(private readonly handoffs: HandoffsRepository) {}

  /** Open hand-off requests, oldest first: conversationId, personaId, reason, at (X-Total-Count). */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const open = await this.handoffs.open(principal.workspaceId);
    response.setHeader('x-total-count', String(open.length));
    return open;
  }
}
