import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { questionBankSchema } from '@zhibing/protocol';
import { questionBankYaml } from '@zhibing/scenario';
import type { Response } from 'express';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodPipe } from '../common/zod-body.pipe';
import { QuestionBanksService } from './question-banks.service';

const formatQuery = z.object({ format: z.enum(['json', 'yaml']).default('json') }).strict();
const role = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'lowercase letters, digits and dashes');

/**
 * Interview question banks of the caller's workspace, one per role: questions, the criteria each
 * answer is scored on, follow-ups. A stored bank wins over the one a persona's flow ships with.
 */
@ApiTags('question-banks')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/question-banks')
export class QuestionBanksController {
  constructor(private readonly banks: QuestionBanksService) {}

  /** Every bank: stored ones, and those shipped in personas' flows for roles with none stored. */
  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.banks.list(principal.workspaceId);
  }

  /** The bank interviews for the role use; `?format=yaml` downloads it as YAML (to edit and PUT back). */
  @Get(':role')
  @ApiProduces('application/json', 'application/yaml')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'yaml'] })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('role', new ZodPipe(role)) roleName: string,
    @Query(new ZodPipe(formatQuery)) query: z.infer<typeof formatQuery>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const bank = await this.banks.get(principal.workspaceId, roleName);
    if (query.format === 'json') return bank;
    response.type('application/yaml');
    response.setHeader('content-disposition', `attachment; filename="${roleName}.yaml"`);
    return questionBankYaml(bank);
  }

  /** Stores the role's bank (created or replaced); 400 question_bank_invalid with `issues` when it is not valid. */
  @Put(':role')
  @ApiBody({ schema: z.toJSONSchema(questionBankSchema, { io: 'input' }) as object })
  put(
    @CurrentPrincipal() principal: Principal,
    @Param('role', new ZodPipe(role)) roleName: string,
    @Body() body: unknown,
  ) {
    return this.banks.put(principal.workspaceId, roleName, body);
  }

  /** Deletes the stored bank: interviews fall back to the persona's own bank for the role. */
  @Delete(':role')
  @HttpCode(204)
  async delete(@CurrentPrincipal() principal: Principal, @Param('role', new ZodPipe(role)) roleName: string) {
    await this.banks.delete(principal.workspaceId, roleName);
  }
}
