import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { PersonaError } from '@zhibing/persona';
import { MAX_AVATAR_BYTES, MAX_CARD_BYTES } from '@zhibing/protocol';
import type { Response } from 'express';
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
const exportQuery = z.object({ spec: z.enum(['v2', 'v3']).default('v2') });
const fileBody = (description: string) => ({
  schema: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description } },
  },
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

  /**
   * A SillyTavern character card, V2 or V3: a JSON body, or multipart `file` (a .json card or a
   * .png card whose image becomes the avatar). Lorebook entries become knowledge items.
   */
  @Post('import/card')
  @HttpCode(201)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody(fileBody('a character card: .json, or .png with a "ccv3" / "chara" chunk'))
  // One byte over the limit is enough to answer card_too_large rather than multer's generic error.
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_CARD_BYTES + 1, files: 1 } }))
  importCard(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Query(new ZodPipe(cardQuery)) query: z.infer<typeof cardQuery>,
  ) {
    if (file && file.size > MAX_CARD_BYTES)
      throw new PersonaError('card_too_large', `A card file may be at most ${MAX_CARD_BYTES / 1024 / 1024} MiB`);
    return this.personas.importCard(principal.workspaceId, file ? { file: file.buffer } : { json: body }, query.id);
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

  /** The persona as a JSON card: `?spec=v2` (default) or `v3`. */
  @Get(':id/card')
  exportCard(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query(new ZodPipe(exportQuery)) query: z.infer<typeof exportQuery>,
  ) {
    return this.personas.exportCard(principal.workspaceId, id, query.spec);
  }

  /** The persona as a PNG card: its avatar (or a plain image) with V2 `chara` and V3 `ccv3` chunks. */
  @Get(':id/card.png')
  async exportCardPng(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res() response: Response,
  ): Promise<void> {
    const png = await this.personas.exportCardPng(principal.workspaceId, id);
    response.setHeader('Content-Disposition', `attachment; filename="${id}.png"`);
    response.type('image/png').send(png);
  }

  /** multipart `file`: a PNG, JPEG or WebP image up to 2 MiB; replaces the persona's avatar. */
  @Put(':id/avatar')
  @ApiConsumes('multipart/form-data')
  @ApiBody(fileBody('a PNG, JPEG or WebP image, at most 2 MiB'))
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_AVATAR_BYTES + 1, files: 1 } }))
  putAvatar(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
  ) {
    if (!file) throw new PersonaError('avatar_type_invalid', 'Send the image as the multipart field "file"');
    return this.personas.putAvatar(principal.workspaceId, id, file.buffer);
  }

  @Delete(':id')
  @HttpCode(204)
  async archive(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.personas.archive(principal.workspaceId, id);
  }
}
