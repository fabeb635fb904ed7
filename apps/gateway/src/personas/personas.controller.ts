import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodPipe } from '../common/zod-body.pipe';
import { PersonasAdminService } from './personas-admin.service';

const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
const cardQuery = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .optional(),
});

/** Personas of the caller's workspace, versioned; character card import and export. */
@ApiTags('personas')
@ApiBearerAuth()
@UseGuards(AdminAuthGuard)
@Controller('v1/personas')
export class PersonasController {
  constructor(private readonly personas: PersonasAdminService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.personas.list(principal.workspaceId);
  }

  @Post()
  @HttpCode(201)
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.personas.save(principal.workspaceId, body);
  }

  /** A character card (SillyTavern V2 JSON); lorebook entries become knowledge items. */
  @Post('import/card')
  @HttpCode(201)
  importCard(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Query(new ZodPipe(cardQuery)) query: z.infer<typeof cardQuery>,
  ) {
    return this.personas.importCard(principal.workspaceId, body, query.id);
  }

  @Get(':id')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query(new ZodPipe(versionQuery)) query: z.infer<typeof versionQuery>,
  ) {
    return this.personas.get(principal.workspaceId, id, query.version);
  }

  @Put(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.personas.save(principal.workspaceId, body, id);
  }

  @Get(':id/versions')
  versions(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.personas.versions(principal.workspaceId, id);
  }

  @Get(':id/card')
  exportCard(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.personas.exportCard(principal.workspaceId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async archive(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.personas.archive(principal.workspaceId, id);
  }
}
