import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { type ApiKeyDto, type CreateApiKeyDto, createApiKeySchema, type CreatedApiKeyDto } from '@zhibing/protocol';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { ApiKeysService } from '../auth/api-keys.service';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodPipe } from '../common/zod-body.pipe';
import { WorkspacesService } from './workspaces.service';

@ApiTags('api keys')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/workspaces/:workspaceId/keys')
export class WorkspaceKeysController {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** Creates a key; the response is the only time its secret (`key`) is shown. */
  @Post()
  @HttpCode(201)
  @ApiBody({ schema: z.toJSONSchema(createApiKeySchema, { io: 'input' }) as object })
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('workspaceId') workspaceId: string,
    @Body(new ZodPipe(createApiKeySchema)) body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    this.workspaces.assertCanManage(principal, workspaceId);
    return this.apiKeys.create(workspaceId, body);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Param('workspaceId') workspaceId: string): Promise<ApiKeyDto[]> {
    this.workspaces.assertCanManage(principal, workspaceId);
    return this.apiKeys.list(workspaceId);
  }

  @Delete(':keyId')
  @HttpCode(204)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('workspaceId') workspaceId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    this.workspaces.assertCanManage(principal, workspaceId);
    await this.apiKeys.revoke(workspaceId, keyId);
  }
}
