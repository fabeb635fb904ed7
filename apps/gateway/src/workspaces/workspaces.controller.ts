import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { type CreateWorkspaceDto, createWorkspaceSchema, type WorkspaceDto } from '@zhibing/protocol';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodPipe } from '../common/zod-body.pipe';
import { WorkspacesService } from './workspaces.service';

@ApiTags('workspaces')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ schema: z.toJSONSchema(createWorkspaceSchema) as object })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(createWorkspaceSchema)) body: CreateWorkspaceDto,
  ): Promise<WorkspaceDto> {
    return this.workspaces.create(principal, body);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<WorkspaceDto[]> {
    return this.workspaces.list(principal);
  }
}
