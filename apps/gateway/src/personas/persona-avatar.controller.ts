import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ZodPipe } from '../common/zod-body.pipe';
import { PersonasAdminService } from './personas-admin.service';

const avatarQuery = z.object({ workspace: z.string().uuid().optional(), v: z.string().max(64).optional() });

/**
 * Persona avatars, public: a widget on any site shows them with a plain <img>, so no key and no
 * CORS check. Content-addressed (ETag = sha256; URLs carry `v`), so browsers revalidate cheaply.
 */
@ApiTags('personas')
@Controller('v1/personas')
export class PersonaAvatarController {
  constructor(private readonly personas: PersonasAdminService) {}

  /** `workspace` names the persona's workspace (avatar URLs carry it); without it, the default one. */
  @Get(':id/avatar')
  async avatar(
    @Param('id') id: string,
    @Query(new ZodPipe(avatarQuery)) query: z.infer<typeof avatarQuery>,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const avatar = await this.personas.publicAvatar(query.workspace, id);
    const etag = `"${avatar.sha256}"`;
    response.setHeader('ETag', etag);
    // A versioned URL never changes content; an unversioned one is revalidated after a minute.
    response.setHeader('Cache-Control', query.v ? 'public, max-age=31536000, immutable' : 'public, max-age=60');
    response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    if (ifNoneMatch?.split(/\s*,\s*/).includes(etag)) {
      response.status(304).end();
      return;
    }
    response.type(avatar.mediaType).send(avatar.bytes);
  }
}
