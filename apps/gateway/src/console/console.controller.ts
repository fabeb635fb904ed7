import { Controller, Get, Param, Redirect, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ZhibingError } from '@zhibing/protocol';
import type { Response } from 'express';
import { ConsoleFiles } from './console-files';

/** The admin console (apps/console, built into dist/console) at /console; `/` leads there. */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(private readonly files: ConsoleFiles) {}

  @Get()
  @Redirect('/console/', 302)
  root(): void {}

  @Get('console')
  index(@Res() response: Response): void {
    this.send(response, []);
  }

  @Get('console/*path')
  file(@Param('path') path: string[] | string, @Res() response: Response): void {
    this.send(response, Array.isArray(path) ? path : path.split('/'));
  }

  private send(response: Response, segments: string[]): void {
    const file = this.files.resolve(segments.filter((s, i) => s !== '' || i < segments.length - 1));
    if (!file) throw new ZhibingError('console_file_not_found', 'No such file in the console');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    response.sendFile(file.absolutePath);
  }
}
